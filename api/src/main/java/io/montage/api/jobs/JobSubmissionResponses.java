package io.montage.api.jobs;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The successes of {@code POST /v1/jobs}, whichever body (JSON, JSONL, zip) it comes with: for the spec
 * generator, which reads the meta-annotations; nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "201", description = "created",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
@ApiResponse(responseCode = "200", description = "the same request again with its Idempotency-Key: the job it created",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
@interface JobSubmissionResponses {
}
