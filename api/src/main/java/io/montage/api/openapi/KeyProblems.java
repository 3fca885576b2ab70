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
 * The problems of a route that needs an API key: the key, its scopes and its rate limit.
 * The spec generator reads the meta-annotations; nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "401", description = "missing_api_key, malformed_api_key, invalid_api_key_checksum, "
        + "unknown_api_key, revoked_api_key, expired_api_key, tenant_suspended",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "403", description = "insufficient_scope: the key lacks the route's scope (or the "
        + "job type's)",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "429", description = "rate_limited, quota_exceeded, too_many_uploads: wait "
        + "Retry-After seconds",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
public @interface KeyProblems {
}
