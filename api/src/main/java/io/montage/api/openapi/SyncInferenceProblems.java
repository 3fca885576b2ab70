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
 * A synchronous inference route: a model that does not answer in time leaves the request running as a job.
 * The spec generator reads the meta-annotations; nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "504", description = "inference_timeout: no answer in time; the request goes on as the "
        + "job `detail` names: poll it",
        content = @Content(mediaType = Problem.MEDIA_TYPE_NAME, schema = @Schema(implementation = Problem.class)))
public @interface SyncInferenceProblems {
}
