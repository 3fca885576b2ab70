package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.json.StrictJson;

import java.io.InputStream;

/**
 * The items of an uploaded JSONL file, read one line at a time as the upload streams in (never the whole file in
 * memory). A line that is not strict JSON ({@link StrictJson}), too long, or not a valid item becomes a rejected
 * item carrying the reason, reported with the job's errors; the rest of the file still runs. Blank lines are
 * skipped.
 */
final class JsonlItems extends ItemReader {

    private final Lines lines;
    private final ItemSchema schema;
    private final int maxLineBytes;
    private int lineNumber;

    JsonlItems(InputStream in, ItemSchema schema, int maxLineBytes) {
        this.lines = new Lines(in, maxLineBytes);
        this.schema = schema;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line as an item; null for a blank line. */
    @Override
    NewItem read() {
        if (!lines.next()) {
            end();
            return null;
        }
        lineNumber++;
        String where = "line " + lineNumber;
        String fallbackId = "line-" + lineNumber;
        if (lines.tooLong()) {
            return NewItem.rejected(fallbackId, "line_too_long", where + " is longer than " + maxLineBytes + " bytes");
        }
        if (lines.blank()) {
            return null;
        }
        JsonNode item;
        try {
            item = StrictJson.parse(lines.bytes(), 0, lines.length(), where);
        } catch (MontageException e) {
            return NewItem.rejected(fallbackId, e.code(), e.getMessage());
        }
        String customId = fallbackId;
        try {
            String given = schema.customId(item, where);
            customId = given == null ? fallbackId : given;
            return schema.item(customId, item, where);
        } catch (MontageException e) {
            return NewItem.rejected(customId, e.code(), e.getMessage());
        }
    }
}
