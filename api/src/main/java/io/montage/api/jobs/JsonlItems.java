package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.json.JsonCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The items of an uploaded JSONL file, read one line at a time as the upload streams in (never the whole file in
 * memory). A line that is not JSON, too long, or not a valid item becomes a rejected item carrying the reason,
 * reported with the job's errors; blank lines are skipped.
 */
final class JsonlItems extends ItemReader {

    private final InputStream in;
    private final ItemSchema schema;
    private final JsonCodec json;
    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int lineNumber;

    JsonlItems(InputStream in, ItemSchema schema, JsonCodec json, int maxLineBytes) {
        this.in = new java.io.BufferedInputStream(in, 1 << 16); // read byte by byte below
        this.schema = schema;
        this.json = json;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line as an item; null for a blank line. */
    @Override
    NewItem read() {
        boolean tooLong = readLine();
        lineNumber++;
        String where = "line " + lineNumber;
        String fallbackId = "line-" + lineNumber;
        if (tooLong) {
            return NewItem.rejected(fallbackId, "line_too_long", where + " is longer than " + maxLineBytes + " bytes");
        }
        String text = line.toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        JsonNode item;
        try {
            item = json.read(text, JsonNode.class);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return NewItem.rejected(fallbackId, "invalid_json", where + " is not valid JSON");
        }
        String customId = fallbackId;
        try {
            String given = schema.customId(item, where);
            customId = given == null ? fallbackId : given;
            return new NewItem(customId, schema.input(item, where));
        } catch (MontageException e) {
            return NewItem.rejected(customId, e.code(), e.getMessage());
        }
    }

    /** Reads up to the next newline into {@code line}; returns whether the line exceeded the limit (its rest skipped). */
    private boolean readLine() {
        line.reset();
        boolean tooLong = false;
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() < maxLineBytes) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
            if (b == -1) {
                end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
        return tooLong;
    }
}
