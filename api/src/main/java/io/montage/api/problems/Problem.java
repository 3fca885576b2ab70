package io.montage.api.problems;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The one error body of the API (RFC 9457 problem details): {@code code} is the stable machine-readable reason,
 * {@code detail} says what to fix. {@code type} is a URN built from the code, so it identifies the problem without
 * pointing at a web page that might not exist. {@code request_id} is the request's X-Request-Id, filled in by
 * {@code RequestIdFilter} on the way out (null only on the answers the Netty edge writes before the framework).
 */
@Serdeable
public record Problem(String type, String title, int status, String detail, String code, String requestId) {

    public static final MediaType MEDIA_TYPE = new MediaType("application/problem+json");

    public static Problem of(int status, String code, String detail) {
        HttpStatus httpStatus = HttpStatus.valueOf(status);
        return new Problem("urn:montage:problem:" + code, httpStatus.getReason(), status, detail, code, null);
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, code, id);
    }

    public MutableHttpResponse<Problem> toResponse() {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(status)).contentType(MEDIA_TYPE).body(this);
    }
}
