package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.json.JsonCodec;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The items of an uploaded zip of images, read entry by entry as the upload streams in: each image is an item whose
 * custom_id (and, for ingest, item_id) is its path in the archive. An optional {@code metadata.jsonl} entry holds
 * one {@code {"custom_id": "<path>", "metadata": {…}}} per line; it may come anywhere in the archive, so metadata
 * is attached once all items are written ({@link #metadata()}). An entry that is neither becomes an item error.
 */
final class ZipItems extends ItemReader {

    static final String METADATA_ENTRY = "metadata.jsonl";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");
    /** Metadata is held in memory until the end: bounded. */
    private static final int MAX_METADATA_BYTES = 64 * 1024 * 1024;

    private final ZipArchiveInputStream zip;
    private final ItemSchema schema;
    private final JsonCodec json;
    private final int maxImageBytes;
    private final Map<String, JsonNode> metadata = new HashMap<>();

    ZipItems(InputStream upload, ItemSchema schema, JsonCodec json, int maxImageBytes) {
        this.zip = new ZipArchiveInputStream(upload);
        this.schema = schema;
        this.json = json;
        this.maxImageBytes = maxImageBytes;
    }

    /** custom_id → metadata object, complete once the iteration is. */
    Map<String, JsonNode> metadata() {
        return metadata;
    }

    @Override
    NewItem read() {
        try {
            ZipArchiveEntry entry = zip.getNextEntry();
            if (entry == null) {
                end();
                return null;
            }
            return entry.isDirectory() ? null : item(entry);
        } catch (IOException e) {
            throw MontageException.invalid("unreadable_zip", "the upload is not a readable zip: " + e.getMessage());
        }
    }

    /** An item for an image entry, null after reading the metadata entry. */
    private NewItem item(ZipArchiveEntry entry) throws IOException {
        String name = entry.getName();
        if (name.equals(METADATA_ENTRY) || name.endsWith("/" + METADATA_ENTRY)) {
            readMetadata(read(MAX_METADATA_BYTES));
            return null;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!IMAGE_EXTENSIONS.contains(extension)) {
            return NewItem.rejected(name, "unsupported_entry",
                    name + " is neither an image (" + IMAGE_EXTENSIONS + ") nor " + METADATA_ENTRY);
        }
        byte[] bytes = read(maxImageBytes);
        if (bytes == null) {
            return NewItem.rejected(name, "image_too_large", name + " is larger than " + maxImageBytes + " bytes");
        }
        Map<String, Object> line = new HashMap<>();
        line.put("custom_id", name);
        line.put("item_id", name);
        line.put("image", Base64.getEncoder().encodeToString(bytes));
        try {
            return new NewItem(name, schema.input(json.read(json.write(line), JsonNode.class), name));
        } catch (MontageException e) {
            return NewItem.rejected(name, e.code(), e.getMessage());
        }
    }

    /** The entry's bytes, or null (the rest skipped) if it is longer than {@code limit}. */
    private byte[] read(int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = zip.read(buffer)) > 0) {
            if (out.size() + n > limit) {
                zip.transferTo(java.io.OutputStream.nullOutputStream());
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private void readMetadata(byte[] bytes) {
        if (bytes == null) {
            throw new MontageException(413, "metadata_too_large", METADATA_ENTRY + " is larger than "
                    + MAX_METADATA_BYTES + " bytes");
        }
        int lineNumber = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry;
            try {
                entry = json.read(line, JsonNode.class);
            } catch (UncheckedIOException e) {
                throw MontageException.invalid("invalid_metadata", METADATA_ENTRY + " line " + lineNumber + " is not JSON");
            }
            JsonNode id = entry.get("custom_id");
            JsonNode value = entry.get("metadata");
            if (id == null || !id.isString() || value == null || !value.isObject()) {
                throw MontageException.invalid("invalid_metadata", METADATA_ENTRY + " line " + lineNumber
                        + " must be {\"custom_id\": \"<path in the zip>\", \"metadata\": {…}}");
            }
            metadata.put(id.getStringValue(), value);
        }
    }
}
