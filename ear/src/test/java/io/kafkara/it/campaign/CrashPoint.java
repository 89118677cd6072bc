package io.kafkara.it.campaign;

/**
 * The protocol points at which a Byteman rule halts the server JVM, each a method of the classes that run there
 * (the adapter in ra/src/main, kafka-clients 4.3.1, Narayana 7.3.3 of WildFly 39, pgjdbc 42.7.8), checked against
 * those jars. A kill {@code AT EXIT} lands after the method did its work and before its caller learnt the answer;
 * {@code AT ENTRY} before it did anything.
 */
public enum CrashPoint {
    /** Our branch is prepared and journaled, the transaction manager has not been told (no decision logged). */
    KAFKA_PREPARE("kafka-prepare", "io.kafkara.tx.KafkaXAResource", "prepare", "AT EXIT"),
    /** The decision is logged and PostgreSQL (first in commit order) committed; our branch is still prepared. */
    KAFKA_COMMIT_ENTRY("kafka-commit-entry", "io.kafkara.tx.KafkaXAResource", "commit", "AT ENTRY"),
    /** Our branch committed and its journal entry removed; the transaction manager's log still names it. */
    KAFKA_COMMIT_EXIT("kafka-commit-exit", "io.kafkara.tx.KafkaXAResource", "commit", "AT EXIT"),
    /** A rollback (the rollback-only orders) reaches our resource; the Kafka transaction is still open. */
    KAFKA_ROLLBACK("kafka-rollback", "io.kafkara.tx.KafkaXAResource", "rollback", "AT ENTRY"),
    /** Prepare flushed the records and moved the Kafka transaction to prepared; the journal write is not sent. */
    JOURNAL_WRITE("journal-write", "io.kafkara.tx.KafkaBranchJournal", "record", "AT ENTRY"),
    /** The journal write is acknowledged; prepare has not answered. */
    JOURNAL_ACK("journal-ack", "io.kafkara.tx.KafkaBranchJournal", "record", "AT EXIT"),
    /** EndTxn(commit) went through; the branch's tombstone is not written yet, so the journal still lists it. */
    JOURNAL_TOMBSTONE("journal-tombstone", "io.kafkara.tx.KafkaBranchJournal", "remove", "AT ENTRY"),
    /** The coordinator answered the engine's EndTxn (commit or abort); the engine has not read the answer. */
    END_TXN("end-txn", "org.apache.kafka.clients.producer.internals.TransactionManager$EndTxnHandler",
            "handleResponse", "AT ENTRY"),
    /** Narayana wrote its log (the commit decision, both branches prepared); no branch is committed yet. */
    NARAYANA_LOG("narayana-log", "com.arjuna.ats.internal.arjuna.objectstore.FileSystemStore", "write_committed",
            "AT EXIT"),
    /** PostgreSQL prepared its branch; our branch is still an open, unprepared Kafka transaction. */
    PG_PREPARE("pg-prepare", "org.postgresql.xa.PGXAConnection", "prepare", "AT EXIT");

    private final String label;
    private final String className;
    private final String method;
    private final String location;

    CrashPoint(String label, String className, String method, String location) {
        this.label = label;
        this.className = className;
        this.method = method;
        this.location = location;
    }

    String label() {
        return label;
    }

    /** Where, as a reader of the report wants it: {@code Class.method AT EXIT}. */
    String where() {
        return className + "." + method + " " + location;
    }

    /**
     * The Byteman rule that halts the JVM at the {@code hit}-th call once {@code armed} exists, after writing
     * {@code marker}: the file that proves the kill happened here. Calls before the arming (recovery at boot) do not
     * count; the conditional keeps the counter untouched until then.
     */
    public String rule(int hit, String armed, String marker) {
        return String.join("\n",
                "RULE campaign " + label,
                "CLASS " + className,
                "METHOD " + method,
                location,
                "BIND armed : java.io.File = new java.io.File(\"" + armed + "\")",
                "IF (armed.exists() ? incrementCounter(\"" + label + "\") : 0) == " + hit,
                "DO traceOpen(\"marker\", \"" + marker + "\");",
                "   traceln(\"marker\", \"" + label + " hit " + hit + " in thread \" + Thread.currentThread().getName());",
                "   traceClose(\"marker\");",
                "   killJVM()",
                "ENDRULE",
                "");
    }
}
