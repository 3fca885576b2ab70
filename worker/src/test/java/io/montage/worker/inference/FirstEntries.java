package io.montage.worker.inference;

import io.montage.datasets.DatasetsConfig;
import io.montage.datasets.EntrySink;
import io.montage.datasets.EntrySource;

import java.io.IOException;
import java.util.List;

/** The first {@code n} entries of a source: a slice of a real set, in its class order. */
record FirstEntries(EntrySource source, int n) implements EntrySource {

    @Override
    public String describe() {
        return "the first " + n + " of " + source.describe();
    }

    @Override
    public List<String> classOrder() {
        return source.classOrder();
    }

    @Override
    public void read(EntrySink sink) throws IOException {
        int[] taken = {0};
        source.read(new EntrySink() {
            @Override
            public DatasetsConfig limits() {
                return sink.limits();
            }

            @Override
            public void entry(String origin, String label, List<String> captions, byte[] image) {
                if (taken[0]++ < n) {
                    sink.entry(origin, label, captions, image);
                }
            }

            @Override
            public void rejected(String origin, String reason) {
                sink.rejected(origin, reason);
            }
        });
    }
}
