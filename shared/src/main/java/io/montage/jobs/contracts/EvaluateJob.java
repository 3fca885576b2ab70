package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;
import java.util.UUID;

/**
 * Job type "evaluate": one model's part of an evaluation run (started by the platform for a run, never submitted by
 * tenants). Each item is a range of the dataset version's entries; the worker reads their images in the tenant's
 * transaction (so row-level security decides what it may read), embeds them with the job's model and returns a
 * compact outcome per entry. The metrics are computed from these outcomes once the job has succeeded.
 */
public final class EvaluateJob {

    public static final String NAME = "evaluate";

    /** Tasks, as the run stores them. */
    public static final String ZERO_SHOT = "zero_shot_classification";
    public static final String RETRIEVAL = "retrieval";

    /** How many classes a zero-shot outcome keeps, best first (top-5 accuracy needs five). */
    public static final int TOP = 5;

    /**
     * @param labels    zero-shot: the class labels by ordinal (the dataset version's classes); retrieval: empty
     * @param templates zero-shot: the prompt templates ({@code {}} = the label); retrieval: empty
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(UUID runId, UUID datasetVersionId, String task, List<String> labels, List<String> templates) {
    }

    /** The entries with {@code seqFrom ≤ seq < seqTo}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Input(int seqFrom, int seqTo) {
    }

    /**
     * One entry's outcome. Zero-shot: the true class's ordinal and the {@link #TOP} best classes with their cosines,
     * best first. Retrieval: the image's embedding and each caption's, in the entry's caption order.
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(int seq, @Nullable Integer truth, @Nullable int[] top, @Nullable double[] scores,
                        @Nullable float[] image, @Nullable List<float[]> captions) {
    }

    /**
     * A range's outcomes and what it cost on the worker: the range's wall time, and the worker's used heap and
     * resident set size (bytes) when it ended, sampled so a run can report its peak; and the model's own weights
     * (the bytes of its TorchScript file, or of its ONNX graphs together: what tells an int8 or bf16 variant from
     * its fp32 bundle when one worker's process holds them all; null in results stored before it was recorded).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Result(List<Entry> entries, double millis, long heapBytes, long rssBytes, @Nullable Long modelBytes) {
    }

    public static final JobContract<Params, Input, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, Input.class, Result.class);

    private EvaluateJob() {
    }
}
