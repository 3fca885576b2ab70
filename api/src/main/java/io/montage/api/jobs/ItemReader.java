package io.montage.api.jobs;

import io.montage.jobs.NewItem;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Items read lazily from an upload, one unit (line, archive entry) at a time. */
abstract class ItemReader implements Iterator<NewItem> {

    private NewItem next;
    private boolean done;

    /** Reads the next unit: its item, null when the unit is no item (a blank line, the metadata entry). */
    abstract NewItem read();

    /** Called by {@link #read} when the upload is exhausted. */
    final void end() {
        done = true;
    }

    @Override
    public final boolean hasNext() {
        while (next == null && !done) {
            next = read();
        }
        return next != null;
    }

    @Override
    public final NewItem next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        NewItem item = next;
        next = null;
        return item;
    }
}
