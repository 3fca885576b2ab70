package io.montage.bench.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SearchBench's command line ({@code --name value} pairs; run-search-bench.sh passes them).
 *
 * @param items            collection size (60k train + 9,900 test + the rest augmented train images)
 * @param upsertRows       rows loaded through Collections.upsert (no index yet)
 * @param unnestRows       rows loaded with INSERT … unnest
 * @param copyTextRows     rows loaded with COPY text
 * @param upsertIndexedRows rows per phase held back and written after the index is built (the steady-state ingest
 *                         rate): Collections.upsert with 1 writer, then with 2 concurrent writers, then INSERT … unnest
 *                         with 2 concurrent writers
 * @param cache            a directory for the embeddings of a run (the next run skips the 1-2 minutes of DJL)
 * @param efSearch         hnsw.ef_search values to measure (mode hnsw)
 * @param filterFirstBelow SearchConfig.filterFirstBelow of mode auto (the production default policy): a filtered
 *                         search expected to match at most this many items ranks them exactly instead of an HNSW scan
 * @param warmup           untimed queries before each timed pass
 */
record SearchOptions(Path bundle, String url, String dbName, String appUser, String appPassword, String ownerUser,
                     String ownerPassword, String systemRole, int items, int upsertRows, int unnestRows,
                     int copyTextRows, int upsertIndexedRows, List<Integer> efSearch, int filterFirstBelow, int warmup,
                     String maintenanceWorkMem, Path out, Path cache, List<String> notes) {

    static SearchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value …; got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            String value = args[++i];
            if (name.equals("note")) {
                notes.add(value);
            } else {
                given.put(name, value);
            }
        }
        String url = required(given, "db-url");
        String password = given.getOrDefault("db-password", "montage");
        return new SearchOptions(Path.of(required(given, "bundle")), url,
                given.getOrDefault("db-name", url.substring(url.lastIndexOf('/') + 1)),
                given.getOrDefault("app-user", "montage_app"), password,
                given.getOrDefault("owner-user", "montage_owner"), password,
                given.getOrDefault("system-role", "montage_system"),
                integer(given, "items", 100_000), integer(given, "upsert-rows", 5_000),
                integer(given, "unnest-rows", 10_000), integer(given, "copy-text-rows", 20_000),
                integer(given, "upsert-indexed-rows", 2_000),
                Arrays.stream(given.getOrDefault("ef-search", "40,100,200").split(",")).map(String::trim)
                        .map(Integer::parseInt).toList(),
                integer(given, "filter-first-below", 5_000), integer(given, "warmup", 20),
                given.getOrDefault("maintenance-work-mem", "1GB"),
                given.containsKey("out") ? Path.of(given.get("out")) : null,
                given.containsKey("cache") ? Path.of(given.get("cache")) : null, List.copyOf(notes));
    }

    private static String required(Map<String, String> given, String name) {
        String value = given.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static int integer(Map<String, String> given, String name, int fallback) {
        return given.containsKey(name) ? Integer.parseInt(given.get(name).replace("_", "")) : fallback;
    }
}
