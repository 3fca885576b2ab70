package io.montage.api.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How many JSONL and zip uploads one api node reads at once (montage.jobs.*). An upload holds a database
 * connection and a blocking thread for as long as it streams in, however slowly the client sends it: unbounded,
 * a few tenants' uploads would take the whole pool from every other request.
 *
 * @param maxConcurrentUploads          uploads streaming in at once, all tenants together; keep it well below
 *                                      montage.database.pool-size (what is left serves everything else)
 * @param maxConcurrentUploadsPerTenant uploads of one tenant streaming in at once
 * @param uploadRetryAfter              the Retry-After of an upload refused for want of a slot
 */
@ConfigurationProperties("montage.jobs")
public record UploadLimits(@Bindable(defaultValue = "4") int maxConcurrentUploads,
                           @Bindable(defaultValue = "2") int maxConcurrentUploadsPerTenant,
                           @Bindable(defaultValue = "5s") Duration uploadRetryAfter) {
}
