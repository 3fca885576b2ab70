package io.montage.api.openapi;

import io.montage.api.problems.Problem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems any route may answer, before or after its own checks (docs/api.md, Errors and HTTP limits).
 * The spec generator reads the meta-annotations; nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "400", description = "a request that cannot be read: invalid_json, invalid_body, "
        + "missing_body, invalid_parameter, malformed_uri, malformed_request, invalid_host, upload_interrupted, "
        + "bad_request…",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "406", description = "not_acceptable: Accept names nothing the route produces",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "408", description = "request_timeout: the head or the body came too slowly",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "413", description = "request_too_large and the route's own size limits",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "414", description = "uri_too_long: a request line over 4,096 bytes",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "415", description = "unsupported_media_type, unsupported_content_encoding",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "422", description = "invalid field values; json_too_deep, nul_character, "
        + "invalid_unicode, number_out_of_range, validation_failed and the route's own codes",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "431", description = "headers_too_large: headers over 8,192 bytes",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "500", description = "internal_error: a server fault, logged",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "unavailable, database_unavailable: retry",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
public @interface EdgeProblems {
}
