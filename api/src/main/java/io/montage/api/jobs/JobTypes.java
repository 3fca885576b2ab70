package io.montage.api.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Bulk job settings (montage.jobs.*).
 *
 * @param types          job types tenants may submit
 * @param maxInlineItems items in one JSON request body (a JSONL upload has no item limit)
 * @param maxLineBytes   one line of an uploaded JSONL file (a base64 image of max-image-bytes fits)
 * @param retention      how long a job's inputs and results are kept after submission
 */
@ConfigurationProperties("montage.jobs")
public record JobTypes(@Bindable(defaultValue = "echo,embed,classify,ingest") List<String> types,
                       @Bindable(defaultValue = "10000") int maxInlineItems,
                       @Bindable(defaultValue = "33554432") int maxLineBytes,
                       @Bindable(defaultValue = "30d") Duration retention) {
}
