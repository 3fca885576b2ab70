package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.json.StrictJson;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

/**
 * The items of an uploaded zip of images, read entry by entry as the upload streams in: each image is an item whose
 * custom_id (and, for ingest, item_id) is its path in the archive. At most one {@code metadata.jsonl} entry holds
 * one {@code {"custom_id": "<path>", "metadata": {…}}} per line (a predict job's: {@code "text": "…"} instead); it
 * may come anywhere in the archive, so its lines go to a {@link MetadataSink} as they are read (one line in memory
 * at a time) and are attached once all items are written. An entry that is neither, or whose name cannot be a custom_id, becomes an item error.
 * <p>
 * The whole archive must be read for a job to exist: an archive that is cut short (mid-entry, or between entries,
 * without its central directory) is a 400 {@code corrupt_zip} that rolls the submission back. Entries, the bytes
 * they expand to and each metadata line are bounded ({@link ZipLimits}).
 */
final class ZipItems extends ItemReader {

    static final String METADATA_ENTRY = "metadata.jsonl";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");
    /** Characters of a refused entry name shown in its error. */
    private static final int SHOWN_NAME_CHARS = 64;

    /** Receives each metadata line (a JSON object with a custom_id) as it is read, and checks its other fields. */
    interface MetadataSink {
        void accept(String customId, JsonNode line, String where);
    }

    private final ZipTail upload;
    private final ZipArchiveInputStream zip;
    private final Expansion entryData;
    private final ItemSchema schema;
    private final ZipLimits limits;
    private final int maxImageBytes;
    private final MetadataSink metadata;
    private int entries;
    /** The name of the metadata entry once read. */
    private String metadataEntry;

    ZipItems(InputStream upload, ItemSchema schema, ZipLimits limits, int maxImageBytes, MetadataSink metadata) {
        this.upload = new ZipTail(upload);
        this.zip = new ZipArchiveInputStream(this.upload);
        this.entryData = new Expansion(zip, limits.maxExpandedBytes());
        this.schema = schema;
        this.limits = limits;
        this.maxImageBytes = maxImageBytes;
        this.metadata = metadata;
    }

    @Override
    NewItem read() {
        try {
            ZipArchiveEntry entry = zip.getNextEntry();
            if (entry == null) {
                if (!upload.complete()) {
                    throw corrupt("it ends before its central directory (cut short?)");
                }
                end();
                return null;
            }
            if (++entries > limits.maxEntries()) {
                throw new MontageException(413, "too_many_zip_entries", "the zip holds more than "
                        + limits.maxEntries() + " entries; split it into several uploads");
            }
            return entry.isDirectory() ? null : item(entry);
        } catch (IOException | UncheckedIOException e) {
            throw corrupt("an entry is truncated or malformed");
        }
    }

    /** An item for an image entry, null after reading the metadata entry. */
    private NewItem item(ZipArchiveEntry entry) throws IOException {
        String name = entry.getName();
        NewItem refused = refusal(entry, name);
        if (refused != null) {
            if (zip.canReadEntryData(entry)) {
                entryData.transferTo(OutputStream.nullOutputStream()); // skipped, but counted: a bomb is bounded
            }
            return refused;
        }
        if (isMetadata(name)) {
            readMetadata(name);
            return null;
        }
        byte[] bytes = read(maxImageBytes);
        if (bytes == null) {
            return NewItem.rejected(name, "image_too_large", name + " is larger than " + maxImageBytes + " bytes");
        }
        try {
            return schema.imageFile(name, bytes); // the entry's bytes as they are: never base64
        } catch (MontageException e) {
            return NewItem.rejected(name, e.code(), e.getMessage());
        }
    }

    /** The item error of an entry that cannot be an item (nor the metadata), or null. */
    private NewItem refusal(ZipArchiveEntry entry, String name) {
        String fallbackId = "entry-" + entries;
        try {
            StrictJson.checkText(name, "the name of entry " + entries);
        } catch (MontageException e) {
            return NewItem.rejected(fallbackId, e.code(), e.getMessage());
        }
        if (name.length() > ItemSchema.MAX_ID_CHARS) {
            return NewItem.rejected(fallbackId, "entry_name_too_long", "entry " + entries + " ("
                    + name.substring(0, name.offsetByCodePoints(0, SHOWN_NAME_CHARS)) + "…) has a name of "
                    + name.length() + " characters; its path becomes its custom_id, which may have at most "
                    + ItemSchema.MAX_ID_CHARS);
        }
        if (!zip.canReadEntryData(entry)) {
            return NewItem.rejected(name, "unsupported_entry", name + " is encrypted or compressed with a method "
                    + "this server cannot read; store it or use deflate");
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (!isMetadata(name) && !IMAGE_EXTENSIONS.contains(extension)) {
            return NewItem.rejected(name, "unsupported_entry",
                    name + " is neither an image (" + IMAGE_EXTENSIONS + ") nor " + METADATA_ENTRY);
        }
        return null;
    }

    private static boolean isMetadata(String name) {
        return name.equals(METADATA_ENTRY) || name.endsWith("/" + METADATA_ENTRY);
    }

    /** The entry's bytes, or null (the rest skipped) if it is longer than {@code limit}. */
    private byte[] read(int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = entryData.read(buffer)) > 0) {
            if (out.size() + n > limit) {
                entryData.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Streams the metadata lines to the sink; a line that is not a valid metadata line refuses the upload. */
    private void readMetadata(String name) {
        if (metadataEntry != null) {
            throw MontageException.invalid("duplicate_metadata", "the zip holds two metadata entries (" + metadataEntry
                    + " and " + name + "); put all metadata lines into one " + METADATA_ENTRY);
        }
        metadataEntry = name;
        Lines lines = new Lines(entryData, limits.maxMetadataLineBytes());
        for (int lineNumber = 1; lines.next(); lineNumber++) {
            String where = METADATA_ENTRY + " line " + lineNumber;
            if (lines.tooLong()) {
                throw new MontageException(413, "metadata_line_too_long", where + " is longer than "
                        + limits.maxMetadataLineBytes() + " bytes");
            }
            if (lines.blank()) {
                continue;
            }
            JsonNode entry = StrictJson.parse(lines.bytes(), 0, lines.length(), where);
            JsonNode id = entry.isObject() ? entry.get("custom_id") : null;
            if (id == null || !id.isString()) {
                throw MontageException.invalid("invalid_metadata", where
                        + " must be a JSON object with a custom_id (\"<path in the zip>\")");
            }
            metadata.accept(id.getStringValue(), entry, where);
        }
    }

    private static MontageException corrupt(String why) {
        return new MontageException(400, "corrupt_zip", "the upload is not a complete zip archive: " + why
                + "; nothing was stored, send the whole archive again");
    }

    /** The entries' data as it expands, counted against the archive's limit. */
    private static final class Expansion extends FilterInputStream {

        private final long limit;
        private long expanded;

        Expansion(InputStream entries, long limit) {
            super(entries);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            expanded += n;
            if (expanded > limit) {
                throw new MontageException(413, "zip_too_large", "the zip's entries expand to more than " + limit
                        + " bytes; split it into several uploads");
            }
        }
    }
}
