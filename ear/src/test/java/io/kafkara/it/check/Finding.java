package io.kafkara.it.check;

/**
 * What the {@link Checker} counts: anomalies, named as Jepsen names them, and outcomes reported for information.
 * The exact rules are in {@link Checker}.
 */
public enum Finding {
    LOST("lost", true),
    DUPLICATE("duplicate", true),
    ABORTED_READ("aborted-read", true),
    REORDERED("reordered", true),
    TORN("torn", true),
    DB_KAFKA_MISMATCH("db-kafka-mismatch", true),
    STUCK("stuck", true),
    OPEN_TRANSACTION("open-transaction", true),
    UNEXPECTED("unexpected", true),
    /** An in-doubt transaction whose records are all visible: it committed. */
    IN_DOUBT_COMMITTED("in-doubt-committed", false),
    /** An in-doubt transaction none of whose records is visible: it aborted. */
    IN_DOUBT_ABORTED("in-doubt-aborted", false),
    /** A send its caller saw fail that Kafka holds anyway: allowed, its caller was told to expect either. */
    FAILED_BUT_WRITTEN("failed-but-written", false);

    private final String label;
    private final boolean anomaly;

    Finding(String label, boolean anomaly) {
        this.label = label;
        this.anomaly = anomaly;
    }

    public String label() {
        return label;
    }

    public boolean isAnomaly() {
        return anomaly;
    }
}
