package io.montage.api.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ItemSource;
import io.montage.models.Model;
import io.montage.models.ModelManifest;

import java.util.ArrayList;
import java.util.List;

/** Turns request inputs into the items workers read ({@link ItemSource}), checking each against the limits. */
public final class InferenceInputs {

    private InferenceInputs() {
    }

    /**
     * A string or {@code {"text": …}} becomes a text item; {@code {"image": …}} an image item. An object with both
     * is refused: which one to embed would be a guess.
     */
    static ItemSource item(JsonNode element, String where, InferenceLimits limits) {
        if (element.isString()) {
            return ItemSource.text(InputEncoding.text(element.getStringValue(), where, limits));
        }
        if (element.isObject() && element.get("text") != null && element.get("image") != null) {
            throw MontageException.invalid("ambiguous_input", where + " has both text and image; send one per "
                    + "input (two inputs for two embeddings)");
        }
        if (element.isObject() && element.get("text") != null && element.get("text").isString()) {
            return ItemSource.text(InputEncoding.text(element.get("text").getStringValue(), where + ".text", limits));
        }
        if (element.isObject() && element.get("image") != null && element.get("image").isString()) {
            return imageItem(element.get("image").getStringValue(), where + ".image", limits);
        }
        throw MontageException.invalid("unsupported_input", where
                + " must be a string, {\"text\": \"…\"} or {\"image\": \"data:image/…;base64,…\"}");
    }

    /** Images given as strings (base64 or data URLs), as image items (none for none). */
    static List<ItemSource> images(List<String> images, InferenceLimits limits) {
        if (images == null) {
            return List.of();
        }
        List<ItemSource> items = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            items.add(imageItem(images.get(i), "images[" + i + "]", limits));
        }
        return items;
    }

    static List<ItemSource> requireImages(List<ItemSource> images) {
        if (images.isEmpty()) {
            throw MontageException.invalid("missing_images", "images must hold at least one image");
        }
        return images;
    }

    /** Labels or texts a request compares against: present, not too many, each within the text limit. */
    public static List<String> texts(List<String> texts, String field, InferenceLimits limits) {
        if (texts == null || texts.isEmpty()) {
            throw MontageException.invalid("missing_" + field, field + " must hold at least one text");
        }
        if (texts.size() > limits.maxLabels()) {
            throw new MontageException(413, "too_many_" + field, field + " holds " + texts.size()
                    + " entries; the limit is " + limits.maxLabels());
        }
        for (int i = 0; i < texts.size(); i++) {
            InputEncoding.text(texts.get(i), field + "[" + i + "]", limits);
        }
        return texts;
    }

    /**
     * The prompt templates of a classification, checked: each holds {@code {}} where the label goes, and none
     * repeats (each one costs an encoding of every label). Null when none are given: the model's own apply.
     */
    public static List<String> templates(List<String> templates, InferenceLimits limits) {
        if (templates == null || templates.isEmpty()) {
            return null;
        }
        for (String template : texts(templates, "templates", limits)) {
            if (!template.contains("{}")) {
                throw MontageException.invalid("invalid_template",
                        "every template needs {} where the label goes, e.g. \"a photo of a {}.\"");
            }
        }
        if (templates.stream().distinct().count() != templates.size()) {
            throw MontageException.invalid("duplicate_templates", "templates must be distinct");
        }
        return templates;
    }

    /** How many templates a classification uses: the given ones, else the model's own, else the label alone. */
    public static int templateCount(List<String> templates, Model model) {
        if (templates != null) {
            return templates.size();
        }
        List<String> own = model.manifest().zeroShotTemplates();
        return own == null || own.isEmpty() ? 1 : own.size();
    }

    /** A text as an item, after checking it against the limits. */
    public static ItemSource textItem(String text, String where, InferenceLimits limits) {
        return ItemSource.text(InputEncoding.text(text, where, limits));
    }

    /** An image (base64 or data URL) as an item of its bytes, after checking it against the limits. */
    public static ItemSource imageItem(String image, String where, InferenceLimits limits) {
        return ItemSource.image(InputEncoding.image(image, where, limits));
    }

    /** A predict request's {@code top_k}: only for a labels model, 1 to its label count (null: all). */
    public static void checkTopK(Integer topK, ModelManifest.Output output) {
        if (topK == null) {
            return;
        }
        if (!ModelManifest.Output.LABELS.equals(output.type())) {
            throw MontageException.invalid("invalid_top_k", "this model answers a score, not labels: send no top_k");
        }
        if (topK < 1 || topK > output.labels().size()) {
            throw MontageException.invalid("invalid_top_k", "top_k must be between 1 and the model's "
                    + output.labels().size() + " labels");
        }
    }
}
