package io.montage.bench.api;

/**
 * One api load shape: {@code clients} concurrent callers, each request carrying {@code perRequest} images of
 * image set {@code set}, embeddings returned as {@code float} (JSON numbers) or {@code base64}, or {@code form}: the
 * images uploaded as {@code multipart/form-data} file parts (no base64 on the way in), embeddings as floats.
 * Written {@code CxK[:set[:format]]}, e.g. {@code 4x8:camera:base64}; set {@value #TEXT} sends short texts instead.
 */
public record ApiScenario(int clients, int perRequest, String set, String format) {

    /** The set of short texts ("a photo of item 3"), which the text tower embeds. */
    public static final String TEXT = "text";

    public ApiScenario {
        if (clients < 1 || perRequest < 1) {
            throw new IllegalArgumentException("a scenario needs at least one client and one image per request");
        }
        if (!format.equals("float") && !format.equals("base64") && !format.equals("form")) {
            throw new IllegalArgumentException("format is float, base64 or form, not " + format);
        }
    }

    public static ApiScenario parse(String text, String defaultSet) {
        String[] parts = text.trim().split(":");
        String[] shape = parts[0].split("x");
        if (shape.length != 2) {
            throw new IllegalArgumentException("a scenario is CxK[:set[:format]], e.g. 4x8:camera, not " + text);
        }
        return new ApiScenario(Integer.parseInt(shape[0]), Integer.parseInt(shape[1]),
                parts.length > 1 ? parts[1] : defaultSet, parts.length > 2 ? parts[2] : "float");
    }

    @Override
    public String toString() {
        return clients + "x" + perRequest + ":" + set + ":" + format;
    }
}
