package io.montage.bench;

import io.montage.bench.api.ApiScenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options ({@code --name value}); {@link #USAGE} lists them. Defaults suit the tiny demo model; the
 * run script passes smaller counts for a full-size model.
 */
record BenchOptions(Path bundle, Path images, int cameraWidth, int cameraHeight, int cameraCount,
                    List<Integer> batches, int rounds, double roundSeconds, int threads, int decodePasses,
                    boolean skipRaw, String api, String key, String model, List<ApiScenario> scenarios,
                    double apiSeconds, int apiMaxRequests, int apiWarmup, double apiWarmupSeconds, Map<String, Long> cpuPids,
                    String database, Path out, String title, List<String> notes) {

    static final String USAGE = """
            EmbeddingBench --bundle DIR [options]
              --bundle DIR          model bundle (montage-model.json, model.pt)
              --images DIR          photos to use (default deploy/models/fashion-clip-mini/reference/images)
              --camera WxH          size of the synthetic camera-size JPEGs (default 1024x768; 0x0: none)
              --camera-count N      how many (default 8)
              --batches 1,8,32      raw batch sizes
              --rounds N            timed rounds per batch size (default 5)
              --round-seconds S     length of a round (default 2; a round is at least one batch)
              --threads N           libtorch intra-op threads (default: cores, as the worker)
              --decode-passes N     timed decode+preprocess passes over each set (default 3)
              --skip-raw            api only
              --api URL --key KEY   a running Montage; without them, raw only
              --model REF           model to name in requests (default: the tenant's default model)
              --scenarios LIST      CxK[:set[:format]],… (default 1x1:small,4x1:small,4x8:small,4x8:camera)
              --api-seconds S       no new request after S seconds per scenario (default 20)
              --api-max-requests N  at most N timed requests per scenario (default 400)
              --api-warmup N        untimed requests per client before each scenario (default 2)
              --api-warmup-seconds S  untimed load over all scenarios before the first (default 0)
              --cpu-pids L=PID,…    processes whose CPU time to break down per image, e.g. api=123,worker=456
              --database NAME       the platform's database: its PostgreSQL backends are counted too
              --out FILE            also append the markdown report to FILE
              --title TEXT          report heading
              --note TEXT           a line for the report's settings list (repeatable)
            """;

    static BenchOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        List<String> notes = new ArrayList<>();
        boolean skipRaw = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--skip-raw")) {
                skipRaw = true;
            } else if (name.startsWith("--") && i + 1 < args.length) {
                if (name.equals("--note")) {
                    notes.add(args[++i]);
                } else {
                    values.put(name.substring(2), args[++i]);
                }
            } else {
                throw new IllegalArgumentException("unexpected argument " + name + "\n" + USAGE);
            }
        }
        if (!values.containsKey("bundle")) {
            throw new IllegalArgumentException("--bundle is required\n" + USAGE);
        }
        String[] camera = values.getOrDefault("camera", "1024x768").split("x");
        String api = values.get("api");
        if ((api == null) != (values.get("key") == null)) {
            throw new IllegalArgumentException("--api and --key go together");
        }
        List<ApiScenario> scenarios = Arrays.stream(values.getOrDefault("scenarios",
                        "1x1:small,4x1:small,4x8:small,4x8:camera").split(","))
                .filter(s -> !s.isBlank()).map(s -> ApiScenario.parse(s, "small")).toList();
        return new BenchOptions(Path.of(values.get("bundle")),
                Path.of(values.getOrDefault("images", "deploy/models/fashion-clip-mini/reference/images")),
                Integer.parseInt(camera[0]), Integer.parseInt(camera[1]),
                Integer.parseInt(values.getOrDefault("camera-count", "8")),
                Arrays.stream(values.getOrDefault("batches", "1,8,32").split(",")).map(String::trim)
                        .map(Integer::valueOf).toList(),
                Integer.parseInt(values.getOrDefault("rounds", "5")),
                Double.parseDouble(values.getOrDefault("round-seconds", "2")),
                Integer.parseInt(values.getOrDefault("threads", "0")),
                Integer.parseInt(values.getOrDefault("decode-passes", "3")),
                skipRaw, api, values.get("key"), values.get("model"), scenarios,
                Double.parseDouble(values.getOrDefault("api-seconds", "20")),
                Integer.parseInt(values.getOrDefault("api-max-requests", "400")),
                Integer.parseInt(values.getOrDefault("api-warmup", "2")),
                Double.parseDouble(values.getOrDefault("api-warmup-seconds", "0")),
                pids(values.getOrDefault("cpu-pids", "")), values.get("database"),
                values.containsKey("out") ? Path.of(values.get("out")) : null,
                values.get("title"), List.copyOf(notes));
    }

    private static Map<String, Long> pids(String list) {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.split("=");
                pids.put(parts[0].trim(), Long.valueOf(parts[1].trim()));
            }
        }
        return pids;
    }

    int engineThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    boolean cameraSet() {
        return cameraCount > 0 && cameraWidth > 0 && cameraHeight > 0;
    }
}
