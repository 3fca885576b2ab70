package io.montage.datasets;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.json.StrictJson;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Images with their captions, one per line, for retrieval:
 * <ul>
 *   <li>JSONL ({@code .jsonl}): {@code {"image": "path/in/the/zip.png", "captions": ["…", "…"]}}, or
 *       {@code "image_base64": "…"} for the image itself, {@code "caption": "…"} for one caption, and an
 *       optional {@code "label"};</li>
 *   <li>TSV (any other name): {@code image<TAB>caption<TAB>caption…}, the image a path in the zip or
 *       {@code base64:…}; a first line starting {@code image<TAB>} is a header.</li>
 * </ul>
 * Paths name files in the accompanying zip (or directory). A line is read with a bound (an image's base64 and its
 * captions), so a file without newlines cannot fill memory; each JSON line passes the strict JSON check.
 */
public final class CaptionLines implements EntrySource {

    private final Path lines;
    private final Path images;

    /** @param images the zip or directory that the lines' paths name; null when every image is inline */
    public CaptionLines(Path lines, Path images) {
        this.lines = lines;
        this.images = images;
    }

    @Override
    public String describe() {
        return "captions " + lines.getFileName() + (images == null ? "" : " + " + images.getFileName());
    }

    private boolean jsonl() {
        return lines.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    @Override
    public void read(EntrySink sink) throws IOException {
        DatasetsConfig limits = sink.limits();
        int maxLine = limits.maxImageBytes() / 3 * 4 + 4 + limits.maxCaptions() * (limits.maxCaptionChars() * 6 + 16)
                + 4096;
        endOfFile = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(lines), 1 << 16);
             FileTree tree = images == null ? null : FileTree.open(images, Math.max(1000, limits.maxEntries() * 3))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int number = 1; ; number++) {
                boolean overlong = readLine(in, line, maxLine);
                if (line.size() == 0 && !overlong && endOfFile) {
                    return;
                }
                String origin = "line " + number;
                byte[] bytes = line.toByteArray();
                if (overlong) {
                    sink.rejected(origin, "longer than " + maxLine + " bytes (an image over "
                            + "montage.datasets.max-image-bytes, or too many captions)");
                } else if (!blank(bytes) && !(number == 1 && !jsonl() && isHeader(bytes))) {
                    Line parsed;
                    byte[] image;
                    try {
                        parsed = jsonl() ? json(bytes, origin) : tsv(bytes);
                        image = image(parsed, tree, limits);
                    } catch (IllegalArgumentException | MontageException refused) {
                        sink.rejected(origin, refused.getMessage());
                        continue;
                    }
                    sink.entry(origin, parsed.label, parsed.captions, image);
                }
                if (endOfFile) {
                    return;
                }
            }
        }
    }

    /** Set by {@link #readLine} at the end of the file; a source is read by one import at a time. */
    private boolean endOfFile;

    /** Reads up to the next '\n' into {@code line} (without it); true when the line was longer than {@code max}. */
    private boolean readLine(InputStream in, ByteArrayOutputStream line, int max) throws IOException {
        line.reset();
        boolean overlong = false;
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                endOfFile = true;
                return overlong;
            }
            if (b == '\n') {
                return overlong;
            }
            if (line.size() < max) {
                line.write(b);
            } else {
                overlong = true; // keep reading to the line's end, holding nothing more
            }
        }
    }

    private static boolean blank(byte[] line) {
        return new String(line, StandardCharsets.UTF_8).isBlank();
    }

    private static boolean isHeader(byte[] line) {
        return new String(line, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).startsWith("image\t");
    }

    private record Line(String path, String base64, String label, List<String> captions) {
    }

    private static Line json(byte[] bytes, String origin) {
        JsonNode node = StrictJson.parse(bytes, 0, bytes.length, origin);
        if (!node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<String> captions = new ArrayList<>();
        if (node.get("caption") != null) {
            captions.add(text(node.get("caption"), "caption"));
        }
        JsonNode many = node.get("captions");
        if (many != null) {
            if (!many.isArray()) {
                throw new IllegalArgumentException("\"captions\" must be an array of strings");
            }
            many.values().forEach(c -> captions.add(text(c, "captions")));
        }
        String path = optionalText(node, "image");
        String base64 = optionalText(node, "image_base64");
        String label = optionalText(node, "label");
        return new Line(path, base64, label, captions);
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(value, field);
    }

    private static String text(JsonNode value, String field) {
        if (!value.isString()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.getStringValue();
    }

    private static Line tsv(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] columns = (text.endsWith("\r") ? text.substring(0, text.length() - 1) : text).split("\t", -1);
        String image = columns[0].strip();
        List<String> captions = Arrays.asList(columns).subList(1, columns.length);
        return image.startsWith("base64:") ? new Line(null, image.substring(7), null, captions)
                : new Line(image, null, null, captions);
    }

    private static byte[] image(Line line, FileTree tree, DatasetsConfig limits) throws IOException {
        if ((line.path == null) == (line.base64 == null)) {
            throw new IllegalArgumentException("give the image once: a path in the zip (\"image\") or its bytes "
                    + "in base64 (\"image_base64\")");
        }
        if (line.base64 != null) {
            byte[] image;
            try {
                image = Base64.getMimeDecoder().decode(line.base64);
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("the image is not valid base64");
            }
            if (image.length > limits.maxImageBytes()) {
                throw new IllegalArgumentException("larger than montage.datasets.max-image-bytes ("
                        + limits.maxImageBytes() + " bytes)");
            }
            return image;
        }
        if (tree == null) {
            throw new IllegalArgumentException("names the image " + line.path + " but no zip of images came with "
                    + "the list");
        }
        byte[] image = tree.read(line.path, limits.maxImageBytes());
        if (image == null) {
            throw new IllegalArgumentException("the image " + line.path + " is not in the zip");
        }
        return image;
    }
}
