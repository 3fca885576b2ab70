package io.montage.bench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The processes one part of the platform runs as, found again at every sample: a fixed pid for the api, the
 * worker and this client; for PostgreSQL, the backends serving the bench's database, recognised by the process
 * title PostgreSQL gives them ({@code postgres: 15/main: montage_app <db> 127.0.0.1(…) idle}). Background processes
 * (WAL writer, checkpointer) serve every database and are not counted.
 */
public record ProcessSet(String label, Supplier<List<Long>> pids) {

    public static ProcessSet pid(String label, long pid) {
        return new ProcessSet(label, () -> List.of(pid));
    }

    public static ProcessSet postgresBackends(String database) {
        return new ProcessSet("postgres", () -> {
            List<Long> pids = new ArrayList<>();
            try (var entries = Files.list(Path.of("/proc"))) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String title = new String(Files.readAllBytes(entry.resolve("cmdline"))).replace('\0', ' ');
                        if (title.startsWith("postgres: ") && title.contains(" " + database + " ")) {
                            pids.add(Long.parseLong(name));
                        }
                    } catch (IOException e) {
                        // the process ended between listing and reading
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return pids;
        });
    }
}
