package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InputEncoding;
import io.montage.db.DataAccessException;
import io.montage.errors.MontageException;
import io.montage.jobs.Job;
import io.montage.jobs.StagedInputFields;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.PredictJob;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A zip's metadata lines on their way to its items: staged in the submission's transaction as they are read and
 * merged into the items once all are written. An ingest item gets its {@code metadata} object, a predict item its
 * {@code text} (an image alone is half a fused model's input). Other job types have no metadata: their lines are
 * checked and dropped.
 */
final class ZipMetadata implements ZipItems.MetadataSink, JobSubmissions.InTransaction {

    private final JobCodec codec;
    private final String type;
    private final InferenceLimits limits;
    private StagedInputFields staged;

    ZipMetadata(JobCodec codec, String type, InferenceLimits limits) {
        this.codec = codec;
        this.type = type;
        this.limits = limits;
    }

    @Override
    public void begin(Connection c) throws SQLException {
        if (IngestJob.NAME.equals(type) || PredictJob.NAME.equals(type)) {
            staged = new StagedInputFields(c);
        }
    }

    @Override
    public void accept(String customId, JsonNode line, String where) {
        String fields;
        if (PredictJob.NAME.equals(type)) {
            JsonNode text = line.get("text");
            if (text == null || !text.isString()) {
                throw MontageException.invalid("invalid_metadata", where
                        + " must be {\"custom_id\": \"<path in the zip>\", \"text\": \"…\"}");
            }
            String checked = InputEncoding.text(text.getStringValue(), where + ".text", limits);
            fields = codec.input(PredictJob.CONTRACT, new PredictJob.Input(checked, null, null, null));
        } else {
            JsonNode metadata = line.get("metadata");
            if (metadata == null || !metadata.isObject()) {
                throw MontageException.invalid("invalid_metadata", where
                        + " must be {\"custom_id\": \"<path in the zip>\", \"metadata\": {…}}");
            }
            fields = codec.input(IngestJob.CONTRACT, IngestJob.Input.metadataOnly(metadata));
        }
        if (staged == null) {
            return;
        }
        try {
            staged.add(customId, fields);
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
