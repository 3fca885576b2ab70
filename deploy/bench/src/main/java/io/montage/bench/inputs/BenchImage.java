package io.montage.bench.inputs;

/**
 * One encoded image as a client would upload it.
 *
 * @param name      file name, for the report
 * @param bytes     the encoded file
 * @param mediaType for the data URL, e.g. {@code image/jpeg}
 */
public record BenchImage(String name, byte[] bytes, String mediaType) {

    /** {@code data:image/…;base64,…}, the form the api documents for images. */
    public String dataUrl() {
        return "data:" + mediaType + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes);
    }

    static String mediaTypeOf(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        if (lower.endsWith(".bmp")) {
            return "image/bmp";
        }
        return null;
    }
}
