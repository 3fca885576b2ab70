package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.db.DataAccessException;
import io.montage.jobs.Job;
import io.montage.jobs.StagedInputFields;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.JobCodec;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A zip's metadata lines on their way to its ingest items: staged in the submission's transaction as they are read
 * and merged into the items once all are written. Other job types have no metadata: their lines are checked
 * (by {@link ZipItems}) and dropped.
 */
final class ZipMetadata implements ZipItems.MetadataSink, JobSubmissions.InTransaction {

    private final JobCodec codec;
    private final boolean attached;
    private StagedInputFields staged;

    ZipMetadata(JobCodec codec, boolean attached) {
        this.codec = codec;
        this.attached = attached;
    }

    @Override
    public void begin(Connection c) throws SQLException {
        if (attached) {
            staged = new StagedInputFields(c);
        }
    }

    @Override
    public void accept(String customId, JsonNode metadata) {
        if (staged == null) {
            return;
        }
        try {
            staged.add(customId, codec.input(IngestJob.CONTRACT, IngestJob.Input.metadataOnly(metadata)));
        } catch (SQLException e) {
            throw new DataAccessException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public void end(Connection c, Job job) throws SQLException {
        if (staged != null) {
            staged.mergeInto(job.id());
        }
    }
}
