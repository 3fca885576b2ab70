package io.montage.worker.inference;

import io.montage.db.SqlFailures;
import io.montage.db.SqlFailures.RefusedData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes a batch in one call and, when the database refuses a value in it (a NUL character, a number out of range),
 * finds the refused items by halving the batch: every other item is still written, in order, and k bad items among
 * n cost about 2k·log2(n) extra calls. Any other failure propagates (the whole attempt failed).
 */
final class IsolatingWrites {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatingWrites.class);

    private IsolatingWrites() {
    }

    /**
     * Writes {@code items} with {@code write}; returns the items the database refused, with what tenants are told.
     * The database's own message goes to the log, under {@code context} (the task).
     */
    static <T> Map<T, RefusedData> write(String context, List<T> items, Consumer<List<T>> write) {
        Map<T, RefusedData> refused = new LinkedHashMap<>();
        writeOrSplit(context, items, write, refused);
        return refused;
    }

    private static <T> void writeOrSplit(String context, List<T> items, Consumer<List<T>> write,
                                         Map<T, RefusedData> refused) {
        if (items.isEmpty()) {
            return;
        }
        try {
            write.accept(items);
        } catch (RuntimeException e) {
            Optional<RefusedData> data = SqlFailures.refusedData(e);
            if (data.isEmpty()) {
                throw e;
            }
            if (items.size() == 1) {
                LOG.warn("{}: the database refused an item ({}): {}", context, data.get().code(), e.getMessage());
                refused.put(items.getFirst(), data.get());
                return;
            }
            int half = items.size() / 2;
            writeOrSplit(context, items.subList(0, half), write, refused);
            writeOrSplit(context, items.subList(half, items.size()), write, refused);
        }
    }
}
