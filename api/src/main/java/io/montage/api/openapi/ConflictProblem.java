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
 * A route that changes state another request or the resource's own state can conflict with.
 * The spec generator reads the meta-annotations; nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "409", description = "idempotency_key_reused, job_not_cancellable, write_conflict…: "
        + "the state does not allow it now",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
public @interface ConflictProblem {
}
