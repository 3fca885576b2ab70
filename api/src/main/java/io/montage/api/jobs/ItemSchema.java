package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InputEncoding;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;

/**
 * What one item of a job must look like, per job type, and the input a worker gets for it (its contract's):
 * <ul>
 *   <li>echo: {@code {"input": any JSON}}</li>
 *   <li>embed: one of {@code text}, {@code image} (base64 or data URL), {@code image_url}</li>
 *   <li>classify: {@code image} or {@code image_url}</li>
 *   <li>ingest: {@code item_id}, one of {@code text}, {@code image}, {@code image_url}, optional {@code metadata}</li>
 * </ul>
 * Every item may carry a {@code custom_id} (≤ 256 characters) by which results and errors are reported.
 */
final class ItemSchema {

    /** The longest custom_id or item_id, in characters. */
    static final int MAX_ID_CHARS = 256;

    private final String type;
    private final InferenceLimits limits;
    private final JobCodec codec;

    ItemSchema(String type, InferenceLimits limits, JobCodec codec) {
        this.type = type;
        this.limits = limits;
        this.codec = codec;
    }

    /** The item's custom_id, checked; null when it has none. */
    String customId(JsonNode item, String where) {
        JsonNode id = item != null && item.isObject() ? item.get("custom_id") : null;
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString() || id.getStringValue().isEmpty() || id.getStringValue().length() > MAX_ID_CHARS) {
            throw MontageException.invalid("invalid_custom_id", where + ".custom_id must be a string of 1-"
                    + MAX_ID_CHARS + " characters");
        }
        return id.getStringValue();
    }

    /** The worker's input for the item (JSON text), or a 4xx naming what is wrong. */
    String input(JsonNode item, String where) {
        if (item == null || !item.isObject()) {
            throw MontageException.invalid("invalid_item", where + " must be a JSON object");
        }
        return switch (type) {
            case EchoJob.NAME -> {
                JsonNode value = item.get("input");
                if (value == null) {
                    throw MontageException.invalid("missing_item_input", where + ".input is required");
                }
                yield codec.input(EchoJob.CONTRACT, value);
            }
            case EmbedJob.NAME -> codec.input(EmbedJob.CONTRACT, source(item, where, true));
            case ClassifyJob.NAME -> codec.input(ClassifyJob.CONTRACT, source(item, where, false));
            case IngestJob.NAME -> codec.input(IngestJob.CONTRACT, ingest(item, where));
            default -> throw new IllegalStateException("no item schema for job type " + type);
        };
    }

    /** An item id, a source and optional metadata (an object). */
    private IngestJob.Input ingest(JsonNode item, String where) {
        JsonNode id = item.get("item_id");
        if (id == null || !id.isString() || id.getStringValue().isEmpty()
                || id.getStringValue().length() > MAX_ID_CHARS) {
            throw MontageException.invalid("invalid_item_id", where + ".item_id must be a string of 1-"
                    + MAX_ID_CHARS + " characters");
        }
        ItemSource source = source(item, where, true);
        JsonNode metadata = item.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw MontageException.invalid("invalid_metadata", where + ".metadata must be a JSON object");
        }
        return new IngestJob.Input(id.getStringValue(), source,
                metadata == null || metadata.isNull() ? null : metadata);
    }

    /** Exactly one of text (when allowed), image, image_url. */
    private ItemSource source(JsonNode item, String where, boolean textAllowed) {
        JsonNode text = item.get("text");
        JsonNode image = item.get("image");
        JsonNode url = item.get("image_url");
        int given = (text != null ? 1 : 0) + (image != null ? 1 : 0) + (url != null ? 1 : 0);
        if (given != 1 || (text != null && !textAllowed)) {
            throw MontageException.invalid("invalid_item", where + " needs exactly one of "
                    + (textAllowed ? "text, image or image_url" : "image or image_url"));
        }
        if (text != null) {
            return ItemSource.text(InputEncoding.text(string(text, where + ".text"), where + ".text", limits));
        }
        if (image != null) {
            return ItemSource.image(InputEncoding.imageBase64(string(image, where + ".image"), where + ".image",
                    limits));
        }
        String value = string(url, where + ".image_url");
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw MontageException.invalid("invalid_image_url", where + ".image_url must be an http(s) URL");
        }
        return ItemSource.imageUrl(value);
    }

    private static String string(JsonNode node, String where) {
        if (!node.isString()) {
            throw MontageException.invalid("invalid_item", where + " must be a string");
        }
        return node.getStringValue();
    }
}
