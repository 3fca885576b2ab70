package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Job type "classify": zero-shot classification of each image item (its bytes or a URL) against the job's labels,
 * each put into the prompt templates ({@code {}} stands for the label; the model's own when none are given).
 */
public final class ClassifyJob {

    public static final String NAME = "classify";

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(List<String> labels, @Nullable List<String> templates) {
    }

    /** One label with its probability. */
    @Serdeable
    public record Ranked(String label, double score) {
    }

    /** An item's result: every label, most probable first. */
    @Serdeable
    public record Result(List<Ranked> labels) {
    }

    public static final JobContract<Params, ItemSource, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, ItemSource.class, Result.class);

    private ClassifyJob() {
    }
}
