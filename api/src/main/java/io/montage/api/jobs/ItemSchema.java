package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InputEncoding;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one item of a job must look like, per job type, and the input a worker gets for it:
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
    private final JsonCodec json;

    ItemSchema(String type, InferenceLimits limits, JsonCodec json) {
        this.type = type;
        this.limits = limits;
        this.json = json;
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
        Map<String, Object> input = new LinkedHashMap<>();
        switch (type) {
            case "echo" -> {
                JsonNode value = item.get("input");
                if (value == null) {
                    throw MontageException.invalid("missing_item_input", where + ".input is required");
                }
                return json.write(value);
            }
            case "embed" -> source(item, where, true, input);
            case "classify" -> source(item, where, false, input);
            case "ingest" -> {
                JsonNode id = item.get("item_id");
                if (id == null || !id.isString() || id.getStringValue().isEmpty()
                        || id.getStringValue().length() > MAX_ID_CHARS) {
                    throw MontageException.invalid("invalid_item_id", where + ".item_id must be a string of 1-"
                            + MAX_ID_CHARS + " characters");
                }
                input.put("item_id", id.getStringValue());
                source(item, where, true, input);
                JsonNode metadata = item.get("metadata");
                if (metadata != null && !metadata.isNull()) {
                    if (!metadata.isObject()) {
                        throw MontageException.invalid("invalid_metadata", where + ".metadata must be a JSON object");
                    }
                    input.put("metadata", metadata);
                }
            }
            default -> throw new IllegalStateException("no item schema for job type " + type);
        }
        return json.write(input);
    }

    /** Exactly one of text (when allowed), image, image_url. */
    private void source(JsonNode item, String where, boolean textAllowed, Map<String, Object> input) {
        JsonNode text = item.get("text");
        JsonNode image = item.get("image");
        JsonNode url = item.get("image_url");
        int given = (text != null ? 1 : 0) + (image != null ? 1 : 0) + (url != null ? 1 : 0);
        if (given != 1 || (text != null && !textAllowed)) {
            throw MontageException.invalid("invalid_item", where + " needs exactly one of "
                    + (textAllowed ? "text, image or image_url" : "image or image_url"));
        }
        if (text != null) {
            input.put("text", InputEncoding.text(string(text, where + ".text"), where + ".text", limits));
        } else if (image != null) {
            input.put("image", InputEncoding.imageBase64(string(image, where + ".image"), where + ".image", limits));
        } else {
            String value = string(url, where + ".image_url");
            if (!value.startsWith("http://") && !value.startsWith("https://")) {
                throw MontageException.invalid("invalid_image_url", where + ".image_url must be an http(s) URL");
            }
            input.put("image_url", value);
        }
    }

    private static String string(JsonNode node, String where) {
        if (!node.isString()) {
            throw MontageException.invalid("invalid_item", where + " must be a string");
        }
        return node.getStringValue();
    }
}
