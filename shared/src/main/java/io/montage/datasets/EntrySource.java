package io.montage.datasets;

import java.io.IOException;

/**
 * One of the forms a dataset arrives in, read entry by entry: never whole in memory, at most one image at a time.
 * A source reads files by path, so it can be read again from the start (a transaction the database asks to retry
 * runs the import again).
 */
public interface EntrySource {

    /** For people: what it was imported from ("zip shirts.zip"). */
    String describe();

    /** Hands every entry, or why it cannot be one, to {@code sink}, in the source's order. */
    void read(EntrySink sink) throws IOException;
}
