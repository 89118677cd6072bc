package io.kafkara.it.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.kafkara.it.check.CheckReport;
import io.kafkara.it.check.Checker;
import io.kafkara.it.check.History;
import io.kafkara.it.check.KafkaReader;
import io.kafkara.it.check.KeyValue;
import io.kafkara.it.check.Outcome;

/**
 * The callers' logs of one scenario (the {@link CallerLog} lines) as the checker's {@link History}, and the check
 * against what the cluster holds.
 */
final class ScenarioRecord {

    private static final Duration READ_BOUND = Duration.ofSeconds(60);

    private final History history = new History();
    private int sends;
    private int transactions;
    private int failures;
    private int committed;
    private int rolledBack;

    private ScenarioRecord() {
    }

    static ScenarioRecord parse(List<String> lines) {
        ScenarioRecord record = new ScenarioRecord();
        lines.forEach(record::add);
        return record;
    }

    private void add(String line) {
        String[] fields = line.split(" ", 6);
        switch (fields[0]) {
            case "ACK" -> {
                history.acknowledged(fields[1], fields[2]);
                sends++;
            }
            case "FAIL" -> {
                history.failed(fields[1], fields[2], fields.length > 3 ? fields[3] : "");
                sends++;
                failures++;
            }
            case "TXN" -> {
                String key = fields[3];
                List<KeyValue> records = Arrays.stream(fields[4].split(",")).map(value -> new KeyValue(key, value))
                        .toList();
                Outcome outcome = Outcome.valueOf(fields[2]);
                history.transaction(fields[1], records, outcome);
                transactions++;
                committed += outcome == Outcome.COMMITTED ? 1 : 0;
                rolledBack += outcome == Outcome.ROLLED_BACK ? 1 : 0;
            }
            case "ABORT" -> throw new AssertionError("A caller could not go on: " + line);
            default -> throw new IllegalArgumentException("Not a caller log line: " + line);
        }
    }

    /** Sends reported to their callers, acknowledged or failed. */
    int sends() {
        return sends;
    }

    int failures() {
        return failures;
    }

    int transactions() {
        return transactions;
    }

    int committed() {
        return committed;
    }

    int rolledBack() {
        return rolledBack;
    }

    /** Reads the topics back and checks them against the history; open transactions of the given id prefix count. */
    CheckReport check(String bootstrapServers, Collection<String> topics, String transactionalIdPrefix) {
        CheckReport report = Checker.check(history, new KafkaReader(bootstrapServers).read(topics,
                transactionalIdPrefix == null ? "fault-" : transactionalIdPrefix, READ_BOUND));
        System.out.println("Checked " + sends + " sends (" + failures + " failed) and " + transactions
                + " transactions: " + report);
        return report;
    }
}
