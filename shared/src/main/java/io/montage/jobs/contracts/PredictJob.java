package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;

/**
 * Job type "predict": each item, an image and a text together, goes through a fused model (manifest kind
 * {@code fused}), which answers either class probabilities ({@code labels}, most probable first, the first
 * {@code top_k}) or one named {@code score}, as its manifest's {@code output} says.
 */
public final class PredictJob {

    public static final String NAME = "predict";

    /** {@code topK}: how many labels each result keeps (null: all); ignored by a score model. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(@Nullable Integer topK) {

        public static final Params ALL = new Params(null);
    }

    /**
     * One input: a text and an image, the image as its bytes (they travel beside the JSON, see
     * {@link CarriesImage}) or a URL to download; exactly one of the two.
     *
     * @param imageBytes how many bytes the image has (derived from {@code image} when written)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(@Nullable String text, @JsonIgnore @Nullable byte[] image, @Nullable Integer imageBytes,
                        @Nullable String imageUrl) implements CarriesImage<Input> {

        @Creator
        public Input {
            if (image != null && imageBytes == null) {
                imageBytes = image.length;
            }
        }

        public static Input of(byte[] image, String text) {
            return new Input(text, image, null, null);
        }

        public static Input ofUrl(String imageUrl, String text) {
            return new Input(text, null, null, imageUrl);
        }

        @Override
        public Input withImage(byte[] bytes) {
            return new Input(text, bytes, imageBytes, imageUrl);
        }

        /** A text and exactly one image: bytes that match the count the JSON names, or a URL. */
        public boolean complete() {
            boolean bytes = image != null && imageBytes != null && imageBytes == image.length;
            boolean none = image == null && imageBytes == null;
            return text != null && (bytes ? imageUrl == null : none && imageUrl != null);
        }
    }

    /** An item's result: {@code labels} (most probable first) for a classifier, {@code score} for a scorer. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(@Nullable List<ClassifyJob.Ranked> labels, @Nullable Double score) {
    }

    public static final JobContract<Params, Input, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, Input.class, Result.class);

    private PredictJob() {
    }
}
