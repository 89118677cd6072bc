package io.kafkara.it.faults;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import io.kafkara.it.check.CheckReport;

/**
 * One broker fault scenario's figures, kept in a file so the faults campaign's report (written by another JVM after
 * the scenarios ran) can show them: what was injected, what the callers were told, what the checker found.
 */
public record BrokerScenarioResult(String scenario, String faults, int brokerKills, int sends, int failures,
        int committed, int rolledBack, Duration wallTime, boolean anomalies, String findingsRow, String summary) {

    private static final String SUFFIX = ".scenario.properties";

    BrokerScenarioResult(String scenario, FaultCount faults, ScenarioRecord record, CheckReport report,
            Duration wallTime) {
        this(scenario, faults.toString(), faults.brokerKills(), record.sends(), record.failures(), record.committed(),
                record.rolledBack(), wallTime, report.hasAnomalies(), report.markdownRow(scenario), report.toString());
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("scenario", scenario);
        properties.setProperty("faults", faults);
        properties.setProperty("brokerKills", Integer.toString(brokerKills));
        properties.setProperty("sends", Integer.toString(sends));
        properties.setProperty("failures", Integer.toString(failures));
        properties.setProperty("committed", Integer.toString(committed));
        properties.setProperty("rolledBack", Integer.toString(rolledBack));
        properties.setProperty("wallSeconds", Long.toString(wallTime.toSeconds()));
        properties.setProperty("anomalies", Boolean.toString(anomalies));
        properties.setProperty("findingsRow", findingsRow);
        properties.setProperty("summary", summary);
        String name = scenario.replaceAll("[^A-Za-z0-9]+", "-") + SUFFIX;
        try (Writer out = Files.newBufferedWriter(directory.resolve(name))) {
            properties.store(out, null);
        }
    }

    /** Every scenario result in the directory, by name; none when it does not exist. */
    public static List<BrokerScenarioResult> readAll(Path directory) throws IOException {
        List<BrokerScenarioResult> results = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return results;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    p.load(in);
                }
                results.add(new BrokerScenarioResult(p.getProperty("scenario"), p.getProperty("faults"),
                        Integer.parseInt(p.getProperty("brokerKills")), Integer.parseInt(p.getProperty("sends")),
                        Integer.parseInt(p.getProperty("failures")), Integer.parseInt(p.getProperty("committed")),
                        Integer.parseInt(p.getProperty("rolledBack")),
                        Duration.ofSeconds(Long.parseLong(p.getProperty("wallSeconds"))),
                        Boolean.parseBoolean(p.getProperty("anomalies")),
                        p.getProperty("findingsRow"), p.getProperty("summary")));
            }
        }
        return results;
    }

    /** Removes the results of an earlier run, so a report never shows a scenario that did not run this time. */
    static void clear(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                Files.delete(file);
            }
        }
    }
}
