package io.montage.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fields to merge into the inputs of a job's items while the job is being submitted, by custom_id: for inputs
 * whose parts arrive apart (a zip's metadata.jsonl may come before or after the images it describes). Each set of
 * fields goes into a temporary table of the submission's transaction as it arrives, so none is held in memory
 * (only a batch of at most {@value #BATCH_BYTES} bytes), and all are merged into the job's pending items at the end;
 * for a custom_id given twice, the last wins. A rolled-back submission leaves nothing behind.
 */
public final class StagedInputFields {

    private static final int BATCH_ROWS = 1000;
    private static final int BATCH_BYTES = 1 << 20;

    private final Connection connection;
    private final PreparedStatement insert;
    private int seq;
    private int batchRows;
    private long batchBytes;

    /** Opens the staging table in {@code connection}'s transaction (the submission's). */
    public StagedInputFields(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TEMP TABLE IF NOT EXISTS job_input_fields (seq int, custom_id text, fields jsonb) "
                    + "ON COMMIT DELETE ROWS");
        }
        this.insert = connection.prepareStatement(
                "INSERT INTO job_input_fields (seq, custom_id, fields) VALUES (?, ?, ?::jsonb)");
    }

    /** Stages {@code fieldsJson} (a JSON object) for the item whose custom_id is {@code customId}. */
    public void add(String customId, String fieldsJson) throws SQLException {
        insert.setInt(1, seq++);
        insert.setString(2, customId);
        insert.setString(3, fieldsJson);
        insert.addBatch();
        batchRows++;
        batchBytes += customId.length() + fieldsJson.length();
        if (batchRows >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
            flush();
        }
    }

    /** Merges every staged set of fields into the pending items of {@code jobId}, and ends the staging. */
    public void mergeInto(UUID jobId) throws SQLException {
        flush();
        insert.close();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE items i SET input = (i.input::jsonb || f.fields)::json FROM (SELECT DISTINCT ON (custom_id) "
                        + "custom_id, fields FROM job_input_fields ORDER BY custom_id, seq DESC) f "
                        + "WHERE i.job_id = ? AND i.custom_id = f.custom_id AND i.status = 'pending'")) {
            update.setObject(1, jobId);
            update.executeUpdate();
        }
    }

    private void flush() throws SQLException {
        if (batchRows > 0) {
            insert.executeBatch();
            batchRows = 0;
            batchBytes = 0;
        }
    }
}
