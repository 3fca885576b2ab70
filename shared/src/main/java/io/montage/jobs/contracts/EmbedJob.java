package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Job type "embed": each item (a text or an image) becomes its embedding from the job's model. Texts longer than
 * the model's context are cut as the job's {@code truncate} says (default "end").
 */
public final class EmbedJob {

    public static final String NAME = "embed";

    /** {@code truncate}: a {@link io.montage.models.Truncation} wire name, or null for the default. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(@Nullable String truncate) {

        public static final Params DEFAULT = new Params(null);
    }

    /**
     * An item's result: the vector (L2-normalised when the model's manifest says so), the tokens its text used (0 for
     * an image; the api reports them as usage) and {@code truncated: true} only for a text whose tokens past the
     * model's context were dropped (absent otherwise).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(float[] embedding, int tokens, @Nullable Boolean truncated) {

        public static Result of(float[] embedding, int tokens, boolean truncated) {
            return new Result(embedding, tokens, truncated ? Boolean.TRUE : null);
        }

        public boolean wasTruncated() {
            return Boolean.TRUE.equals(truncated);
        }
    }

    /** The codec's JSON for a result, written by hand: this is every bulk embedding's hot path. */
    static String write(Result result) {
        StringBuilder out = FloatArrayJson.builder(result.embedding()).append("{\"embedding\":");
        FloatArrayJson.append(out, result.embedding()).append(",\"tokens\":").append(result.tokens());
        return out.append(result.wasTruncated() ? ",\"truncated\":true}" : "}").toString();
    }

    public static final JobContract<Params, ItemSource, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, ItemSource.class, Result.class, EmbedJob::write);

    private EmbedJob() {
    }
}
