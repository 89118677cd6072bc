package io.kafkara.it.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a scenario's callers sent and what they were told, recorded as it happens; the {@link Checker} compares it
 * with what Kafka holds. Thread-safe: concurrent callers record into one history.
 *
 * <pre>{@code
 * History history = new History();
 * // caller 3, not in a transaction, sends synchronously:
 * try {
 *     connection.send(new ProducerRecord<>(topic, key, value)).get();
 *     history.acknowledged(key, value);
 * } catch (ExecutionException e) {
 *     history.failed(key, value, e.getCause().toString());
 * }
 * // caller 2, in a transaction of its own:
 * history.transaction("caller-2/txn-17", records, Outcome.ROLLED_BACK);
 * }</pre>
 *
 * <p>Values identify records, so each value may be recorded once; recording one twice is a mistake of the scenario
 * and is refused. The send order of a key is the order in which its values are recorded, acknowledged or in
 * transactions: give each key to one caller, and record in the order that caller sent them.
 */
public final class History {

    enum Kind { ACKNOWLEDGED, FAILED, IN_TRANSACTION }

    /** One value as recorded: its key, how it ended, and its transaction (null outside one) or failure reason. */
    record Sent(KeyValue record, Kind kind, Transaction transaction, String reason) {
    }

    record Transaction(String id, List<KeyValue> records, Outcome outcome, boolean hasDatabaseRow) {
    }

    private final Map<String, Sent> byValue = new LinkedHashMap<>();
    private final Map<String, List<String>> valuesByKey = new HashMap<>();
    private final Map<String, Transaction> transactions = new LinkedHashMap<>();

    /** A send outside a transaction that the caller saw succeed: it must be in Kafka once, in its key's order. */
    public synchronized void acknowledged(String key, String value) {
        add(new Sent(new KeyValue(key, value), Kind.ACKNOWLEDGED, null, null));
    }

    /**
     * A send outside a transaction that the caller saw fail: it may or may not be in Kafka (a timed-out request
     * can still have been written). For a send that failed inside a transaction, record the whole transaction
     * instead, with the outcome its caller got.
     */
    public synchronized void failed(String key, String value, String reason) {
        add(new Sent(new KeyValue(key, value), Kind.FAILED, null, Objects.requireNonNull(reason, "reason")));
    }

    /** A transaction without a database row: {@code records} in the order the caller sent them. */
    public void transaction(String id, List<KeyValue> records, Outcome outcome) {
        transaction(id, records, outcome, false);
    }

    /**
     * A transaction of {@code records}, in send order, and what its caller was told. With {@code hasDatabaseRow}
     * the transaction also inserted a database row whose id is {@code id}; the observation says which rows exist.
     */
    public synchronized void transaction(String id, List<KeyValue> records, Outcome outcome, boolean hasDatabaseRow) {
        Objects.requireNonNull(outcome, "outcome");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("Transaction " + id + " has no records: the checker decides from "
                    + "the records whether it is visible, so record only transactions that sent some");
        }
        if (transactions.containsKey(id)) {
            throw new IllegalArgumentException("Transaction id " + id + " recorded twice: give each its own id");
        }
        Transaction transaction = new Transaction(id, List.copyOf(records), outcome, hasDatabaseRow);
        // Check every value first, so that a refused transaction leaves the history as it was.
        Set<String> values = new HashSet<>();
        for (KeyValue record : records) {
            if (!values.add(record.value())) {
                throw recordedTwice(record.value());
            }
            requireNew(record.value());
        }
        for (KeyValue record : records) {
            add(new Sent(record, Kind.IN_TRANSACTION, transaction, null));
        }
        transactions.put(id, transaction);
    }

    private void requireNew(String value) {
        if (byValue.containsKey(value)) {
            throw recordedTwice(value);
        }
    }

    private static IllegalArgumentException recordedTwice(String value) {
        return new IllegalArgumentException("Value " + value + " recorded twice: the checker identifies records "
                + "by value, so make each value unique (e.g. caller/transaction/index)");
    }

    private void add(Sent sent) {
        String value = sent.record().value();
        requireNew(value);
        byValue.put(value, sent);
        valuesByKey.computeIfAbsent(sent.record().key(), k -> new ArrayList<>()).add(value);
    }

    synchronized Map<String, Sent> byValue() {
        return new LinkedHashMap<>(byValue);
    }

    /** Each key's values in the order they were recorded, i.e. sent. */
    synchronized Map<String, List<String>> valuesByKey() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        valuesByKey.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        return copy;
    }

    synchronized List<Transaction> transactions() {
        return List.copyOf(transactions.values());
    }
}
