package io.kafkara.it.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Feeds the checker each anomaly by hand and asserts the whole count vector: the anomaly is counted as often as
 * it occurs, and nothing else is counted.
 */
class CheckerTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final History history = new History();
    private final Observation.Builder kafka = Observation.builder();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();

    @Test
    void cleanRunReportsNothing() {
        history.acknowledged("k1", "a1");
        history.acknowledged("k2", "b1");
        history.acknowledged("k1", "a2");
        history.failed("k2", "b2", "TimeoutException");
        history.transaction("t1", List.of(kv("k3", "c1"), kv("k3", "c2")), Outcome.COMMITTED, true);
        history.transaction("t2", List.of(kv("k3", "c3")), Outcome.ROLLED_BACK, true);
        committed(P0, "k1", "a1");
        committed(P1, "k2", "b1");
        committed(P0, "k1", "a2");
        committed(P1, "k3", "c1");
        committed(P1, "k3", "c2");
        aborted(P1, "k3", "c3");

        CheckReport report = check(kafka.committedRow("t1"));

        assertCounts(report, Map.of());
        assertFalse(report.hasAnomalies(), report::toString);
        report.assertNone();
    }

    @Test
    void anAcknowledgedValueMissingIsLost() {
        history.acknowledged("k1", "a1");
        history.acknowledged("k1", "a2");
        committed(P0, "k1", "a1");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.LOST, 1));
        assertFirstExample(report, Finding.LOST, "a2");
    }

    @Test
    void valuesOfACommittedTransactionOnlyInReadUncommittedAreLostAndSaySo() {
        history.transaction("t1", List.of(kv("k1", "a1"), kv("k1", "a2")), Outcome.COMMITTED);
        aborted(P0, "k1", "a1");
        aborted(P0, "k1", "a2");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.LOST, 2));
        assertFirstExample(report, Finding.LOST, "read_uncommitted has it at a1 at orders-0@0");
    }

    @Test
    void aValueReadTwiceIsOneDuplicateAndStaysInOrder() {
        history.acknowledged("k1", "a1");
        history.acknowledged("k1", "a2");
        committed(P0, "k1", "a1");
        committed(P0, "k1", "a2");
        committed(P0, "k1", "a1");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.DUPLICATE, 1));
    }

    @Test
    void valuesOfARolledBackTransactionVisibleAreAbortedReads() {
        history.transaction("t1", List.of(kv("k1", "a1"), kv("k1", "a2")), Outcome.ROLLED_BACK);
        committed(P0, "k1", "a1");
        committed(P0, "k1", "a2");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.ABORTED_READ, 2));
    }

    @Test
    void aKeyOutOfSendOrderIsReorderedOnceHoweverManyValuesMoved() {
        history.acknowledged("k1", "a1");
        history.acknowledged("k2", "b1");
        history.acknowledged("k1", "a2");
        history.acknowledged("k1", "a3");
        history.acknowledged("k2", "b2");
        committed(P0, "k1", "a3");
        committed(P0, "k1", "a2");
        committed(P0, "k1", "a1");
        committed(P1, "k2", "b1");
        committed(P1, "k2", "b2");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.REORDERED, 1));
        assertFirstExample(report, Finding.REORDERED, "key k1: a2 at orders-0@1 comes after a3");
    }

    @Test
    void orderIsPerPartition() {
        // One key in two partitions (e.g. two topics): each partition keeps the key's order, nothing is reordered.
        history.acknowledged("k1", "a1");
        history.acknowledged("k1", "a2");
        history.acknowledged("k1", "a3");
        committed(P1, "k1", "a1");
        committed(P0, "k1", "a2");
        committed(P1, "k1", "a3");

        assertCounts(check(kafka), Map.of());
    }

    @Test
    void committedTransactionsOfAKeyMustStayInTheirOrder() {
        history.transaction("t1", List.of(kv("k1", "a1")), Outcome.COMMITTED);
        history.transaction("t2", List.of(kv("k1", "a2")), Outcome.UNKNOWN);
        committed(P0, "k1", "a2");
        committed(P0, "k1", "a1");

        assertCounts(check(kafka), Map.of(Finding.REORDERED, 1, Finding.IN_DOUBT_COMMITTED, 1));
    }

    @Test
    void aPartlyVisibleTransactionIsTornWhateverItsOutcome() {
        history.transaction("committed", List.of(kv("k1", "a1"), kv("k1", "a2")), Outcome.COMMITTED);
        history.transaction("rolled-back", List.of(kv("k2", "b1"), kv("k2", "b2")), Outcome.ROLLED_BACK);
        history.transaction("in-doubt", List.of(kv("k3", "c1"), kv("k3", "c2")), Outcome.UNKNOWN);
        committed(P0, "k1", "a1");
        committed(P0, "k2", "b1");
        committed(P0, "k3", "c2");

        CheckReport report = check(kafka);

        // The missing value of the committed one is lost too, the visible one of the rolled-back one an aborted read.
        assertCounts(report, Map.of(Finding.TORN, 3, Finding.LOST, 1, Finding.ABORTED_READ, 1));
        assertFirstExample(report, Finding.TORN, "1 of 2 records visible, missing [a2]");
    }

    @Test
    void aRowWithoutItsRecordsOrRecordsWithoutTheirRowAreMismatches() {
        history.transaction("row-only", List.of(kv("k1", "a1")), Outcome.UNKNOWN, true);
        history.transaction("records-only", List.of(kv("k2", "b1")), Outcome.COMMITTED, true);
        history.transaction("both", List.of(kv("k3", "c1")), Outcome.UNKNOWN, true);
        history.transaction("neither", List.of(kv("k4", "d1")), Outcome.ROLLED_BACK, true);
        aborted(P0, "k1", "a1");
        committed(P0, "k2", "b1");
        committed(P0, "k3", "c1");
        aborted(P0, "k4", "d1");

        CheckReport report = check(kafka.committedRow("row-only").committedRow("both"));

        assertCounts(report, Map.of(Finding.DB_KAFKA_MISMATCH, 2,
                Finding.IN_DOUBT_ABORTED, 1, Finding.IN_DOUBT_COMMITTED, 1));
        assertEquals(List.of("transaction row-only (UNKNOWN): row committed, 0 of 1 records visible",
                "transaction records-only (COMMITTED): row absent, 1 of 1 records visible"),
                report.examples(Finding.DB_KAFKA_MISMATCH));
    }

    @Test
    void aStuckPartitionAndAnOpenTransactionAreReported() {
        CheckReport report = check(kafka.stuck(P1).openTransaction("orders-tx-node1-3"));

        assertCounts(report, Map.of(Finding.STUCK, 1, Finding.OPEN_TRANSACTION, 1));
        assertEquals(List.of("orders-tx-node1-3 is still open"), report.examples(Finding.OPEN_TRANSACTION));
    }

    @Test
    void recordsAndRowsTheHistoryNeverMentionsAreUnexpected() {
        committed(P0, "k1", "stranger");
        aborted(P0, "k1", "aborted-stranger");
        committed(P0, null, null);
        committed(P0, null, null);

        CheckReport report = check(kafka.committedRow("row-of-no-one"));

        // Two values, two null values at their own offsets, and a row.
        assertCounts(report, Map.of(Finding.UNEXPECTED, 5));
    }

    @Test
    void inDoubtTransactionsAreDecidedByVisibilityAndAreNoAnomaly() {
        history.transaction("t1", List.of(kv("k1", "a1"), kv("k1", "a2")), Outcome.UNKNOWN);
        history.transaction("t2", List.of(kv("k2", "b1"), kv("k2", "b2")), Outcome.UNKNOWN);
        history.transaction("t3", List.of(kv("k3", "c1")), Outcome.UNKNOWN);
        committed(P0, "k1", "a1");
        committed(P0, "k1", "a2");
        aborted(P0, "k2", "b1");
        aborted(P0, "k2", "b2");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.IN_DOUBT_COMMITTED, 1, Finding.IN_DOUBT_ABORTED, 2));
        report.assertNone();
    }

    @Test
    void aFailedSendInKafkaIsCountedButIsNoAnomaly() {
        history.failed("k1", "a1", "TimeoutException");
        history.failed("k1", "a2", "TimeoutException");
        committed(P0, "k1", "a1");

        CheckReport report = check(kafka);

        assertCounts(report, Map.of(Finding.FAILED_BUT_WRITTEN, 1));
        assertFalse(report.hasAnomalies());
    }

    private CheckReport check(Observation.Builder observation) {
        return Checker.check(history, observation.build());
    }

    /** A record both consumers read: outside a transaction, or of a committed one. */
    private void committed(TopicPartition partition, String key, String value) {
        ObservedRecord record = next(partition, key, value);
        kafka.readCommitted(record).readUncommitted(record);
    }

    /** A record only read_uncommitted sees: of an aborted or open transaction. */
    private void aborted(TopicPartition partition, String key, String value) {
        kafka.readUncommitted(next(partition, key, value));
    }

    private ObservedRecord next(TopicPartition partition, String key, String value) {
        long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
        return new ObservedRecord(partition, offset, key, value);
    }

    private static KeyValue kv(String key, String value) {
        return new KeyValue(key, value);
    }

    private static void assertFirstExample(CheckReport report, Finding finding, String fragment) {
        List<String> examples = report.examples(finding);
        assertTrue(!examples.isEmpty() && examples.get(0).contains(fragment),
                () -> "the first " + finding.label() + " example should contain '" + fragment + "': " + examples);
    }

    /** Every finding has the expected count, zero unless given. */
    private static void assertCounts(CheckReport report, Map<Finding, Integer> expected) {
        Map<Finding, Integer> wanted = new EnumMap<>(Finding.class);
        Map<Finding, Integer> actual = new EnumMap<>(Finding.class);
        for (Finding finding : Finding.values()) {
            wanted.put(finding, expected.getOrDefault(finding, 0));
            actual.put(finding, report.count(finding));
        }
        assertEquals(wanted, actual, report::toString);
    }
}
