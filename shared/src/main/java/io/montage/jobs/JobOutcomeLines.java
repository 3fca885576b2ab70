package io.montage.jobs;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A job's outcomes as JSONL lines keyed by custom_id, read page by page from the database so that a million-item
 * job never sits in memory: the api's {@code /results} and {@code /errors} and the console's download write these
 * same lines.
 */
@Singleton
public class JobOutcomeLines {

    /** Items read per database round trip. */
    public static final int PAGE = 500;

    /** One page's lines and the seq of its last item (where the next page starts). */
    public record Page(byte[] lines, int lastSeq) {
    }

    // snake_case named here, not by the process's mapper settings: every process writes the same lines
    @Serdeable(naming = SnakeCaseStrategy.class)
    record Error(String customId, int index, ErrorBody error) {
    }

    // snake_case named here, not by the process's mapper settings: every process writes the same lines
    @Serdeable(naming = SnakeCaseStrategy.class)
    record ErrorBody(String code, String message) {
    }

    private final Jobs jobs;
    private final JsonCodec json;

    public JobOutcomeLines(Jobs jobs, JsonCodec json) {
        this.jobs = jobs;
        this.json = json;
    }

    /** The items in {@code status} ({@code succeeded} or {@code failed}) after {@code afterSeq}; null when none is left. */
    public Page page(UUID tenantId, UUID jobId, String status, int afterSeq) {
        List<JobItem> items = jobs.items(tenantId, jobId, status, afterSeq, PAGE);
        return items.isEmpty() ? null : new Page(lines(items), items.getLast().seq());
    }

    /** Writes every item in {@code status} to {@code out}, one page at a time. */
    public void writeAll(UUID tenantId, UUID jobId, String status, OutputStream out) throws IOException {
        for (Page page = page(tenantId, jobId, status, -1); page != null;
             page = page(tenantId, jobId, status, page.lastSeq())) {
            out.write(page.lines());
        }
    }

    private byte[] lines(List<JobItem> page) {
        StringBuilder out = new StringBuilder(page.size() * 256);
        for (JobItem item : page) {
            if (item.errorCode() == null) {
                // the worker's result JSON, stored as json text, goes out verbatim: parsing and re-printing every
                // float of an embedding was the download's main cost
                out.append("{\"custom_id\":").append(item.customId() == null ? "null" : json.write(item.customId()))
                        .append(",\"index\":").append(item.seq())
                        .append(",\"result\":").append(item.resultJson()).append('}');
            } else {
                out.append(json.write(new Error(item.customId(), item.seq(),
                        new ErrorBody(item.errorCode(), item.errorMessage()))));
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
