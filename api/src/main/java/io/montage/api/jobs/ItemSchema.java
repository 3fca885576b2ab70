package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InputEncoding;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.PredictJob;

/**
 * What one item of a job must look like, per job type, and the input a worker gets for it (its contract's):
 * <ul>
 *   <li>echo: {@code {"input": any JSON}}</li>
 *   <li>embed: one of {@code text}, {@code image} (base64 or data URL; stored as its bytes), {@code image_url}</li>
 *   <li>classify: {@code image} or {@code image_url}</li>
 *   <li>predict: {@code text} and one of {@code image}, {@code image_url} (a zip's image gets its text from
 *   metadata.jsonl)</li>
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

    /** The item as the queue stores it (its contract's input; an image as bytes), or a 4xx naming what is wrong. */
    NewItem item(String customId, JsonNode item, String where) {
        if (item == null || !item.isObject()) {
            throw MontageException.invalid("invalid_item", where + " must be a JSON object");
        }
        return switch (type) {
            case EchoJob.NAME -> {
                JsonNode value = item.get("input");
                if (value == null) {
                    throw MontageException.invalid("missing_item_input", where + ".input is required");
                }
                yield codec.item(EchoJob.CONTRACT, customId, value);
            }
            case EmbedJob.NAME -> codec.item(EmbedJob.CONTRACT, customId, source(item, where, true));
            case ClassifyJob.NAME -> codec.item(ClassifyJob.CONTRACT, customId, source(item, where, false));
            case PredictJob.NAME -> codec.item(PredictJob.CONTRACT, customId, predict(item, where));
            case IngestJob.NAME -> codec.item(IngestJob.CONTRACT, customId, ingest(item, where));
            default -> throw new IllegalStateException("no item schema for job type " + type);
        };
    }

    /** The item of an uploaded image file named {@code name} (a zip entry), kept as the bytes it arrived as. */
    NewItem imageFile(String name, byte[] bytes) {
        ItemSource image = ItemSource.image(InputEncoding.image(bytes, name, limits));
        return switch (type) {
            case EmbedJob.NAME -> codec.item(EmbedJob.CONTRACT, name, image);
            case ClassifyJob.NAME -> codec.item(ClassifyJob.CONTRACT, name, image);
            // its text comes from the zip's metadata.jsonl, merged in once the archive is read (ZipMetadata)
            case PredictJob.NAME -> codec.item(PredictJob.CONTRACT, name, PredictJob.Input.of(image.image(), null));
            case IngestJob.NAME -> {
                checkId(name, name);
                yield codec.item(IngestJob.CONTRACT, name, new IngestJob.Input(name, image, null));
            }
            default -> throw MontageException.invalid("missing_item_input", name + ".input is required");
        };
    }

    /** An item id, a source and optional metadata (an object). */
    private IngestJob.Input ingest(JsonNode item, String where) {
        JsonNode id = item.get("item_id");
        checkId(id == null || !id.isString() ? null : id.getStringValue(), where);
        ItemSource source = source(item, where, true);
        JsonNode metadata = item.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw MontageException.invalid("invalid_metadata", where + ".metadata must be a JSON object");
        }
        return new IngestJob.Input(id.getStringValue(), source,
                metadata == null || metadata.isNull() ? null : metadata);
    }

    private static void checkId(String id, String where) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
            throw MontageException.invalid("invalid_item_id", where + ".item_id must be a string of 1-"
                    + MAX_ID_CHARS + " characters");
        }
    }

    /** Exactly one of text (when allowed), image, image_url. */
    private ItemSource source(JsonNode item, String where, boolean textAllowed) {
        JsonNode text = item.get("text");
        int given = (text != null ? 1 : 0) + (item.get("image") != null ? 1 : 0)
                + (item.get("image_url") != null ? 1 : 0);
        if (given != 1 || (text != null && !textAllowed)) {
            throw MontageException.invalid("invalid_item", where + " needs exactly one of "
                    + (textAllowed ? "text, image or image_url" : "image or image_url"));
        }
        return text != null ? ItemSource.text(text(text, where)) : image(item, where);
    }

    /** A text and exactly one of image, image_url: what a fused model answers. */
    private PredictJob.Input predict(JsonNode item, String where) {
        JsonNode text = item.get("text");
        if (text == null || (item.get("image") == null) == (item.get("image_url") == null)) {
            throw MontageException.invalid("invalid_item", where + " needs a text and exactly one of image or "
                    + "image_url");
        }
        ItemSource image = image(item, where);
        return new PredictJob.Input(text(text, where), image.image(), null, image.imageUrl());
    }

    private String text(JsonNode text, String where) {
        return InputEncoding.text(string(text, where + ".text"), where + ".text", limits);
    }

    /** The item's image or image_url, whichever it has (the caller checked that it has exactly one). */
    private ItemSource image(JsonNode item, String where) {
        JsonNode image = item.get("image");
        if (image != null) {
            return ItemSource.image(InputEncoding.image(string(image, where + ".image"), where + ".image", limits));
        }
        String value = string(item.get("image_url"), where + ".image_url");
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
