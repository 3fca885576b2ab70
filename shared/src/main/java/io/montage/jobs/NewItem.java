package io.montage.jobs;

/**
 * One input of a job: the caller's id for it (optional), the input as JSON text and, for an inline image, its bytes
 * (stored beside the JSON, never inside it: see {@link io.montage.jobs.contracts.CarriesImage}). An item whose input
 * was already found unusable when the job was submitted (a bad line in an uploaded file) carries its error instead:
 * it is stored as failed and reported with the job's errors, without failing the job.
 */
public record NewItem(String customId, String inputJson, byte[] inputBytes, String errorCode, String errorMessage) {

    public NewItem(String customId, String inputJson) {
        this(customId, inputJson, null, null, null);
    }

    public static NewItem rejected(String customId, String errorCode, String errorMessage) {
        return new NewItem(customId, "null", null, errorCode, errorMessage);
    }

    public boolean rejected() {
        return errorCode != null;
    }

    /** About what the item takes in a statement: its JSON and its bytes. */
    public long size() {
        return inputJson.length() + (inputBytes == null ? 0L : inputBytes.length);
    }
}
