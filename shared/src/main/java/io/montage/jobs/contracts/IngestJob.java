package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/**
 * Job type "ingest": each item is embedded with the collection's model and stored in the job's collection under its
 * item id, with its metadata and its source (so that a model switch can re-embed it).
 */
public final class IngestJob {

    public static final String NAME = "ingest";

    /** {@code truncate}: as {@link EmbedJob.Params#truncate()}. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(@Nullable String truncate, UUID collectionId) {
    }

    /** An item: its id in the collection, one source ({@link ItemSource}) and optional metadata (an object). */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(@Nullable String itemId, @Nullable String text, @JsonIgnore @Nullable byte[] image,
                        @Nullable Integer imageBytes, @Nullable String imageUrl, @Nullable JsonNode metadata)
            implements CarriesImage<Input> {

        @Creator // what serde reads through; without it, it took the (itemId, source, metadata) one
        public Input {
            if (image != null && imageBytes == null) { // written: the count follows the bytes
                imageBytes = image.length;
            }
        }

        public Input(String itemId, ItemSource source, @Nullable JsonNode metadata) {
            this(itemId, source.text(), source.image(), source.imageBytes(), source.imageUrl(), metadata);
        }

        /** Only metadata: the part of an input that arrives apart from its image (a zip's metadata lines). */
        public static Input metadataOnly(JsonNode metadata) {
            return new Input(null, null, null, null, null, metadata);
        }

        public ItemSource source() {
            return new ItemSource(text, image, imageBytes, imageUrl);
        }

        @Override
        public Input withImage(byte[] bytes) {
            return new Input(itemId, text, bytes, imageBytes, imageUrl, metadata);
        }
    }

    /** A stored item's result: its id. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Result(String itemId) {
    }

    public static final JobContract<Params, Input, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, Input.class, Result.class);

    private IngestJob() {
    }
}
