package io.montage.quotas;

/** The quotas a tenant has, by the name callers see in errors and operators in {@code admin set-quotas}. */
public enum Quota {
    ITEMS_PER_DAY("items_per_day", "items per UTC day", "the count starts again at midnight UTC"),
    INFLIGHT_JOBS("inflight_jobs", "bulk jobs queued or running", "wait for a job to finish, or cancel one"),
    COLLECTION_ITEMS("collection_items", "items across all collections",
            "delete items, or ask an operator for a higher quota");

    private final String wireName;
    private final String unit;
    private final String remedy;

    Quota(String wireName, String unit, String remedy) {
        this.wireName = wireName;
        this.unit = unit;
        this.remedy = remedy;
    }

    public String wireName() {
        return wireName;
    }

    /** What the quota counts, as a phrase after its number. */
    String unit() {
        return unit;
    }

    /** What the caller can do about it. */
    String remedy() {
        return remedy;
    }
}
