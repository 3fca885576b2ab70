package io.montage.datasets;

import java.io.IOException;
import java.util.List;

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

    /**
     * The order of the classes when the source has one (an IDX pair's label numbers): a class's ordinal, which an
     * evaluation's confusion matrix follows. Empty: label order. Classes it does not name follow, in label order.
     */
    default List<String> classOrder() {
        return List.of();
    }
}
