package io.montage.api.problems;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The one error body of the API (RFC 9457 problem details): {@code code} is the stable machine-readable reason,
 * {@code detail} says what to fix. {@code type} is a URN built from the code, so it identifies the problem without
 * pointing at a web page that might not exist.
 */
@Serdeable
@Schema(description = "RFC 9457 problem details: `code` is the stable reason, `detail` says what to fix")
public record Problem(@Schema(example = "urn:montage:problem:insufficient_scope") String type,
                      @Schema(example = "Forbidden") String title,
                      @Schema(example = "403") int status,
                      @Schema(example = "this route needs the scope jobs:read") String detail,
                      @Schema(example = "insufficient_scope") String code) {

    public static final String MEDIA_TYPE_NAME = "application/problem+json";
    public static final MediaType MEDIA_TYPE = new MediaType(MEDIA_TYPE_NAME);

    public static Problem of(int status, String code, String detail) {
        HttpStatus httpStatus = HttpStatus.valueOf(status);
        return new Problem("urn:montage:problem:" + code, httpStatus.getReason(), status, detail, code);
    }

    public MutableHttpResponse<Problem> toResponse() {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(status)).contentType(MEDIA_TYPE).body(this);
    }
}
