package io.montage.jobs;

/** What happened to one item: a result (JSON) or an error with a code. */
public record ItemOutcome(int seq, String resultJson, String errorCode, String errorMessage) {

    public static ItemOutcome succeeded(int seq, String resultJson) {
        return new ItemOutcome(seq, resultJson, null, null);
    }

    public static ItemOutcome failed(int seq, String errorCode, String errorMessage) {
        return new ItemOutcome(seq, null, errorCode, errorMessage);
    }

    public boolean ok() {
        return errorCode == null;
    }
}
