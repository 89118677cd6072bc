package io.kafkara.it.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * Compares a {@link History} with an {@link Observation} and counts each {@link Finding}. "Visible" means read by
 * the read_committed consumer. The rules:
 * <ul>
 * <li>{@code lost}, per value: an acknowledged value, or a value of a COMMITTED transaction, not visible.</li>
 * <li>{@code duplicate}, per value: a value visible more than once. Only read_committed counts: what
 * read_uncommitted adds is aborted or open data, which Kafka keeps in the log by design, and on partitions
 * without transactions both consumers read the same records.</li>
 * <li>{@code aborted-read}, per value: a value of a ROLLED_BACK transaction visible. A send that failed inside a
 * transaction is part of that transaction in the history, so it is covered by its transaction's outcome.</li>
 * <li>{@code reordered}, per key, once however many of its values are out of order: within one partition, the
 * visible values of a key that must be visible (acknowledged, of COMMITTED transactions, of in-doubt
 * transactions found committed) are not in their send order. A duplicate counts at its first offset.</li>
 * <li>{@code torn}, per transaction of any outcome: some but not all of its values visible.</li>
 * <li>{@code db-kafka-mismatch}, per transaction with a database row: the row is committed but not all its values
 * are visible, or the row is not committed but some of its values are visible.</li>
 * <li>{@code stuck}, per partition: the observation says the read_committed consumer could not reach its end.</li>
 * <li>{@code open-transaction}, per transactional id the observation found open.</li>
 * <li>{@code unexpected}, per value read by either consumer that the history never recorded (a record with a null
 * value counts once per offset), and per committed row whose id is no transaction with a database row. The
 * scenario writes the topics it checks, so anything else there is written by no one it knows of.</li>
 * <li>{@code in-doubt-committed} / {@code in-doubt-aborted}, per UNKNOWN transaction: all values visible / none.
 * Partial visibility is {@code torn} instead. One still open at the end reads as aborted; {@code open-transaction}
 * reports it.</li>
 * <li>{@code failed-but-written}, per value: a failed send read by either consumer. Not an anomaly.</li>
 * </ul>
 * A value counts in as many rules as it breaks: the missing values of a partly visible COMMITTED transaction are
 * {@code lost} and the transaction is {@code torn}.
 */
public final class Checker {

    /** How many values of a torn transaction its example names. */
    private static final int MISSING_SHOWN = 3;

    private final History history;
    private final Observation observation;
    private final Map<String, History.Sent> sentByValue;
    private final Map<String, List<ObservedRecord>> visible;
    private final Map<String, List<ObservedRecord>> uncommitted;
    private final CheckReport.Builder report = new CheckReport.Builder();

    private Checker(History history, Observation observation) {
        this.history = history;
        this.observation = observation;
        this.sentByValue = history.byValue();
        this.visible = byValue(observation.readCommitted());
        this.uncommitted = byValue(observation.readUncommitted());
    }

    public static CheckReport check(History history, Observation observation) {
        return new Checker(history, observation).run();
    }

    private CheckReport run() {
        checkSends();
        Set<String> mustBeVisible = checkTransactions();
        checkDuplicates();
        checkOrder(mustBeVisible);
        checkUnexpected();
        observation.stuck().forEach(partition -> report.add(Finding.STUCK,
                partition + ": its last stable offset stayed below its end (an open transaction blocks it)"));
        observation.openTransactions().forEach(id -> report.add(Finding.OPEN_TRANSACTION, id + " is still open"));
        return report.build(scope());
    }

    /** Sends outside transactions: acknowledged ones must be visible; failed ones may be, for information. */
    private void checkSends() {
        for (History.Sent sent : sentByValue.values()) {
            String value = sent.record().value();
            if (sent.kind() == History.Kind.ACKNOWLEDGED && !visible.containsKey(value)) {
                report.add(Finding.LOST, "acknowledged " + sent.record() + " not in read_committed" + alsoUncommitted(value));
            } else if (sent.kind() == History.Kind.FAILED && (visible.containsKey(value) || uncommitted.containsKey(value))) {
                report.add(Finding.FAILED_BUT_WRITTEN, sent.record() + " failed (" + sent.reason() + ") but is at "
                        + firstSeen(value));
            }
        }
    }

    /** Returns the values of transactions that must be visible: the committed ones and those found committed. */
    private Set<String> checkTransactions() {
        Set<String> mustBeVisible = new HashSet<>();
        for (History.Transaction transaction : history.transactions()) {
            List<String> values = transaction.records().stream().map(KeyValue::value).toList();
            List<String> missing = values.stream().filter(v -> !visible.containsKey(v)).toList();
            int seen = values.size() - missing.size();
            String name = "transaction " + transaction.id() + " (" + transaction.outcome() + ")";
            if (seen > 0 && !missing.isEmpty()) {
                report.add(Finding.TORN, name + ": " + seen + " of " + values.size() + " records visible, missing "
                        + missing.subList(0, Math.min(MISSING_SHOWN, missing.size())));
            }
            switch (transaction.outcome()) {
                case COMMITTED -> {
                    missing.forEach(v -> report.add(Finding.LOST, v + " of " + name + " not in read_committed"
                            + alsoUncommitted(v)));
                    mustBeVisible.addAll(values);
                }
                case ROLLED_BACK -> values.stream().filter(visible::containsKey).forEach(v ->
                        report.add(Finding.ABORTED_READ, v + " of " + name + " visible at " + visible.get(v).get(0)));
                case UNKNOWN -> {
                    if (missing.isEmpty()) {
                        report.add(Finding.IN_DOUBT_COMMITTED, name + ": all " + values.size() + " records visible");
                        mustBeVisible.addAll(values);
                    } else if (seen == 0) {
                        report.add(Finding.IN_DOUBT_ABORTED, name + ": none of " + values.size() + " records visible");
                    }
                }
            }
            if (transaction.hasDatabaseRow()) {
                checkRow(transaction, name, seen, missing.isEmpty());
            }
        }
        return mustBeVisible;
    }

    private void checkRow(History.Transaction transaction, String name, int seen, boolean allVisible) {
        boolean rowCommitted = observation.committedRows().contains(transaction.id());
        if (rowCommitted && !allVisible || !rowCommitted && seen > 0) {
            report.add(Finding.DB_KAFKA_MISMATCH, name + ": row " + (rowCommitted ? "committed" : "absent") + ", "
                    + seen + " of " + transaction.records().size() + " records visible");
        }
    }

    private void checkDuplicates() {
        visible.forEach((value, copies) -> {
            if (copies.size() > 1) {
                report.add(Finding.DUPLICATE, value + " read " + copies.size() + " times: at " + copies);
            }
        });
    }

    /** Per partition and key, the send positions of the values that must be visible may only increase. */
    private void checkOrder(Set<String> transactionalMustBeVisible) {
        Map<String, Integer> sendPosition = new HashMap<>();
        history.valuesByKey().values().forEach(values -> {
            for (int i = 0; i < values.size(); i++) {
                sendPosition.put(values.get(i), i);
            }
        });
        Set<String> reorderedKeys = new HashSet<>();
        Map<TopicPartition, Map<String, ObservedRecord>> lastByKey = new HashMap<>();
        for (ObservedRecord record : inOffsetOrder(observation.readCommitted())) {
            History.Sent sent = sentByValue.get(record.value());
            boolean checked = sent != null && (sent.kind() == History.Kind.ACKNOWLEDGED
                    || transactionalMustBeVisible.contains(record.value()));
            // A later copy of a duplicate is only a duplicate; order is where a value first appears.
            if (!checked || !visible.get(record.value()).get(0).equals(record)) {
                continue;
            }
            String key = sent.record().key();
            ObservedRecord previous = lastByKey.computeIfAbsent(record.partition(), p -> new HashMap<>()).put(key, record);
            if (previous != null && sendPosition.get(previous.value()) > sendPosition.get(record.value())
                    && reorderedKeys.add(key)) {
                report.add(Finding.REORDERED, "key " + key + ": " + record + " comes after " + previous
                        + " but was sent before it");
            }
        }
    }

    private void checkUnexpected() {
        Map<Object, ObservedRecord> unknown = new LinkedHashMap<>();
        for (List<ObservedRecord> records : List.of(observation.readUncommitted(), observation.readCommitted())) {
            for (ObservedRecord record : records) {
                if (record.value() == null || !sentByValue.containsKey(record.value())) {
                    // Both consumers read the same record: count a value once, a null value once per offset.
                    Object identity = record.value() != null ? record.value()
                            : List.of(record.partition(), record.offset());
                    unknown.putIfAbsent(identity, record);
                }
            }
        }
        unknown.values().forEach(record -> report.add(Finding.UNEXPECTED, record + " was never sent by the scenario"));
        Set<String> rowTransactions = history.transactions().stream().filter(History.Transaction::hasDatabaseRow)
                .map(History.Transaction::id).collect(Collectors.toSet());
        observation.committedRows().stream().filter(id -> !rowTransactions.contains(id)).forEach(id ->
                report.add(Finding.UNEXPECTED, "row " + id + " belongs to no transaction with a database row"));
    }

    private String alsoUncommitted(String value) {
        return uncommitted.containsKey(value) ? " (read_uncommitted has it at " + uncommitted.get(value).get(0) + ")" : "";
    }

    private String firstSeen(String value) {
        return String.valueOf(visible.containsKey(value) ? visible.get(value).get(0) : uncommitted.get(value).get(0));
    }

    private String scope() {
        Map<History.Kind, Long> kinds = sentByValue.values().stream()
                .collect(Collectors.groupingBy(History.Sent::kind, Collectors.counting()));
        return "history: " + kinds.getOrDefault(History.Kind.ACKNOWLEDGED, 0L) + " acknowledged, "
                + kinds.getOrDefault(History.Kind.FAILED, 0L) + " failed, " + history.transactions().size()
                + " transactions; read: " + observation.readCommitted().size() + " read_committed, "
                + observation.readUncommitted().size() + " read_uncommitted records";
    }

    private static Map<String, List<ObservedRecord>> byValue(List<ObservedRecord> records) {
        Map<String, List<ObservedRecord>> byValue = new HashMap<>();
        for (ObservedRecord record : inOffsetOrder(records)) {
            if (record.value() != null) {
                byValue.computeIfAbsent(record.value(), v -> new ArrayList<>()).add(record);
            }
        }
        return byValue;
    }

    private static List<ObservedRecord> inOffsetOrder(List<ObservedRecord> records) {
        return records.stream().sorted(Comparator.comparing((ObservedRecord r) -> r.partition().topic())
                .thenComparingInt(r -> r.partition().partition()).thenComparingLong(ObservedRecord::offset)).toList();
    }
}
