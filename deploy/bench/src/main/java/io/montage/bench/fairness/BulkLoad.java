package io.montage.bench.fairness;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tenant A's load (b): one bulk embed job of many real images (the demo bundle's photos, repeated), uploaded as
 * JSONL the way docs/api.md shows, running while B is measured. Cancelled afterwards: its progress meanwhile is what
 * the report needs, not its end.
 */
final class BulkLoad implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern SUCCEEDED = Pattern.compile("\"succeeded\":(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");

    private final TenantClient tenantA;
    private final Path file;
    private final int items;
    private String jobId;

    BulkLoad(TenantClient tenantA, List<String> imageDataUrls, int items, Path dir) throws IOException {
        this.tenantA = tenantA;
        this.items = items;
        this.file = dir.resolve("bulk-" + items + ".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < items; i++) {
                out.write("{\"custom_id\":\"a-" + i + "\",\"image\":\"" + imageDataUrls.get(i % imageDataUrls.size())
                        + "\"}\n");
            }
        }
    }

    String describe() throws IOException {
        return items + "-item embed job (JSONL, " + Files.size(file) / 1_000_000 + " MB)";
    }

    /** Uploads the job and waits until its first items are done, so B is measured against a running job. */
    void startAndAwaitProgress() throws IOException, InterruptedException {
        TenantClient.Answer created = tenantA.postFile("/v1/jobs?type=embed", "application/x-ndjson", file);
        Matcher id = ID.matcher(created.body());
        if (created.status() != 201 || !id.find()) {
            throw new IOException("the bulk upload answered " + created.status() + ": " + created.body());
        }
        jobId = id.group(1);
        while (progress().succeeded() == 0) {
            Thread.sleep(100);
        }
    }

    /** The job's status and how many of its items have succeeded so far. */
    record Progress(String status, long succeeded) {
        boolean running() {
            return status.equals("running") || status.equals("queued");
        }
    }

    Progress progress() throws InterruptedException, IOException {
        TenantClient.Answer job = tenantA.get("/v1/jobs/" + jobId);
        Matcher count = SUCCEEDED.matcher(job.body());
        Matcher status = STATUS.matcher(job.body());
        if (job.status() != 200 || !count.find() || !status.find()) {
            throw new IOException("GET job answered " + job.status() + ": " + job.body());
        }
        return new Progress(status.group(1), Long.parseLong(count.group(1)));
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (jobId != null) {
            tenantA.postJson("/v1/jobs/" + jobId + "/cancel", "{}");
        }
        Files.deleteIfExists(file);
    }
}
