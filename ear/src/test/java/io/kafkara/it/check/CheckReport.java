package io.kafkara.it.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The counts the {@link Checker} found, by {@link Finding}, with the first few examples of each.
 *
 * <pre>{@code
 * CheckReport report = Checker.check(history, observation);
 * System.out.println(report);   // for the scenario's log and the README's table
 * report.assertNone();          // fails listing every anomaly with examples
 * }</pre>
 */
public final class CheckReport {

    /** Enough to show what went wrong; a run with thousands of losses does not need them all in its message. */
    static final int EXAMPLES_PER_FINDING = 5;

    private final Map<Finding, Integer> counts;
    private final Map<Finding, List<String>> examples;
    private final String scope;

    private CheckReport(Map<Finding, Integer> counts, Map<Finding, List<String>> examples, String scope) {
        this.counts = counts;
        this.examples = examples;
        this.scope = scope;
    }

    public int count(Finding finding) {
        return counts.getOrDefault(finding, 0);
    }

    public List<String> examples(Finding finding) {
        return List.copyOf(examples.getOrDefault(finding, List.of()));
    }

    public boolean hasAnomalies() {
        return Stream.of(Finding.values()).anyMatch(f -> f.isAnomaly() && count(f) > 0);
    }

    /** Throws an {@link AssertionError} naming each anomaly found, with its count and examples. */
    public void assertNone() {
        if (!hasAnomalies()) {
            return;
        }
        StringBuilder message = new StringBuilder("Anomalies found: ").append(this);
        for (Finding finding : Finding.values()) {
            if (finding.isAnomaly() && count(finding) > 0) {
                message.append("\n  ").append(finding.label()).append(' ').append(count(finding)).append(", e.g.");
                examples(finding).forEach(example -> message.append("\n    ").append(example));
            }
        }
        throw new AssertionError(message.toString());
    }

    /** One line: every count, anomalies first, then what was checked. */
    @Override
    public String toString() {
        return counts(true) + "; " + counts(false) + " (" + scope + ")";
    }

    /** The header row matching {@link #markdownRow(String)}. */
    public static String markdownHeader() {
        String labels = Stream.of(Finding.values()).map(Finding::label).collect(Collectors.joining(" | "));
        String rule = Stream.of(Finding.values()).map(f -> "---:").collect(Collectors.joining(" | "));
        return "| scenario | " + labels + " |\n| --- | " + rule + " |";
    }

    /** A row of a markdown table under {@link #markdownHeader()}. */
    public String markdownRow(String scenario) {
        String cells = Stream.of(Finding.values()).map(f -> String.valueOf(count(f))).collect(Collectors.joining(" | "));
        return "| " + scenario + " | " + cells + " |";
    }

    private String counts(boolean anomalies) {
        return Stream.of(Finding.values()).filter(f -> f.isAnomaly() == anomalies)
                .map(f -> f.label() + " " + count(f)).collect(Collectors.joining(", "));
    }

    /** Collects findings one at a time, keeping the first examples of each. */
    static final class Builder {
        private final Map<Finding, Integer> counts = new EnumMap<>(Finding.class);
        private final Map<Finding, List<String>> examples = new EnumMap<>(Finding.class);

        void add(Finding finding, String example) {
            counts.merge(finding, 1, Integer::sum);
            List<String> kept = examples.computeIfAbsent(finding, f -> new ArrayList<>());
            if (kept.size() < EXAMPLES_PER_FINDING) {
                kept.add(example);
            }
        }

        CheckReport build(String scope) {
            return new CheckReport(new EnumMap<>(counts), new EnumMap<>(examples), scope);
        }
    }
}
