package io.montage.api.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.PredictJob;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * Bulk job settings (montage.jobs.*), read at start: a list of types that offers tenants an internal one (a model
 * switch's reembed, say) stops the api from starting.
 *
 * @param types          job types tenants may submit: some of {@link JobScopes#SUBMITTABLE}
 * @param maxInlineItems items in one JSON request body (a JSONL upload has no item limit)
 * @param maxLineBytes   one line of an uploaded JSONL file (a base64 image of max-image-bytes fits)
 * @param retention      how long a job's inputs and results are kept after submission
 */
@Context
@ConfigurationProperties("montage.jobs")
public record JobTypes(@Bindable(defaultValue = EchoJob.NAME + "," + EmbedJob.NAME + "," + ClassifyJob.NAME + ","
                               + PredictJob.NAME + "," + IngestJob.NAME) List<String> types,
                       @Bindable(defaultValue = "10000") int maxInlineItems,
                       @Bindable(defaultValue = "33554432") int maxLineBytes,
                       @Bindable(defaultValue = "30d") Duration retention) {

    public JobTypes {
        for (String type : types) {
            if (!JobScopes.SUBMITTABLE.containsKey(type)) {
                throw new IllegalStateException("montage.jobs.types names '" + type + "', which tenants may not submit"
                        + " (submittable: " + new TreeSet<>(JobScopes.SUBMITTABLE.keySet()) + ")");
            }
        }
    }
}
