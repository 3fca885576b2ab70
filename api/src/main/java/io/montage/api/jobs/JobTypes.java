package io.montage.api.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * Job types tenants may submit (montage.jobs.types). A type is only useful where some worker runs it; the
 * api cannot see the workers' code, so the list is configuration.
 */
@ConfigurationProperties("montage.jobs")
public record JobTypes(@Bindable(defaultValue = "echo") List<String> types,
                       @Bindable(defaultValue = "10000") int maxInlineItems) {
}
