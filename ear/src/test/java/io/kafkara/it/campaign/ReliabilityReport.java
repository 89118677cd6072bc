package io.kafkara.it.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkara.it.check.CheckReport;
import io.kafkara.it.check.Finding;
import io.kafkara.it.check.Outcome;
import io.kafkara.it.faults.BrokerScenarioResult;

/**
 * src/docs/reliability.md: what a faults run injected, covered, checked and found: the broker fault scenarios
 * through the adapter, then the XA crash campaign per broker mode.
 */
final class ReliabilityReport {

    private ReliabilityReport() {
    }

    /** {@code complete}: whether the run had the amounts; a smaller one is labelled a smoke run. */
    static void write(Path file, String command, String amounts, boolean complete, List<BrokerScenarioResult> brokers,
            List<CampaignResult> results) throws IOException {
        StringBuilder md = new StringBuilder("# Reliability: broker faults and the XA crash campaign\n\n");
        if (!complete) {
            md.append("**A smoke run, not the campaign**: fewer faults than the campaign's (at least 10 broker kills "
                    + "and 100,000 records in the broker scenarios; at least 4 kills per point in each broker mode "
                    + "and 30 random kills in the crash campaign). It shows that the command works; its figures prove "
                    + "little.\n\n");
        }
        int serverKills = results.stream().mapToInt(CampaignResult::totalKills).sum();
        int brokerKills = brokers.stream().mapToInt(BrokerScenarioResult::brokerKills).sum();
        boolean anomalies = results.stream().anyMatch(r -> r.report().hasAnomalies())
                || brokers.stream().anyMatch(BrokerScenarioResult::anomalies);
        md.append("Run on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" with `").append(command)
                .append("` (").append(amounts).append("): ").append(brokerKills).append(" broker kills in ")
                .append(brokers.size()).append(" broker fault scenarios (")
                .append(minutes(brokers.stream().map(BrokerScenarioResult::wallTime))).append("), ")
                .append(serverKills).append(" server kills in the crash campaign (")
                .append(minutes(results.stream().map(CampaignResult::wallTime))).append("); ")
                .append(anomalies ? "**anomalies found**, see the findings." : "no anomaly.").append("\n\n");
        BrokerFaultsSection.append(md, brokers);
        md.append("## The XA crash campaign\n\n");
        md.append("""
                Each campaign runs 8 callers that place orders through the sample's XA path (one JTA transaction: a row \
                in a real PostgreSQL 16 through its XA datasource, and 3 Kafka records through `java:/kafka/SampleXA`, \
                two-phase; every third order rollback-only) against a WildFly 39 of its own, and kills the server JVM \
                round after round: at a protocol point, where a Byteman 4.0.26 rule halts the JVM at a random hit \
                (1 to %d) after writing a marker file (a round without its marker fails), or with SIGKILL after a \
                random delay (%d to %d ms). After each kill the server restarts on the same base directory, and the \
                next round starts once recovery settled (no branch in `pg_prepared_xacts`, no open transaction of \
                the adapter's ids). At the end the checker (`io.kafkara.it.check`) compares what each caller was \
                told (200 committed, 409 rolled back, anything else in doubt) with a read_committed and a \
                read_uncommitted read of the topic and the committed rows.

                """.formatted(CampaignPlan.MAX_HIT, CampaignPlan.MIN_DELAY_MS, CampaignPlan.MAX_DELAY_MS));
        md.append("### Crash points\n\n| point | where | ").append(modes(results, " | ")).append(" |\n| --- | --- |")
                .append(" ---: |".repeat(results.size())).append('\n');
        for (CrashPoint point : CrashPoint.values()) {
            md.append("| ").append(point.label()).append(" | `").append(point.where()).append("` |");
            results.forEach(r -> md.append(' ').append(r.kills().get(point.label())).append(" |"));
            md.append('\n');
        }
        md.append("| random | SIGKILL from the test |");
        results.forEach(r -> md.append(' ').append(r.kills().get("random")).append(" |"));
        md.append("\n| **all kills** | |");
        results.forEach(r -> md.append(" **").append(r.totalKills()).append("** |"));
        md.append("\n\n### Transactions and records checked\n\nBy what the caller was told; a call the dead server "
                + "refused (connect refused, before the callers paused) never reached a server and is not counted.\n\n"
                + "| mode | committed | rolled back | in doubt | records sent | refused calls | wall time |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (CampaignResult r : results) {
            md.append("| ").append(r.mode()).append(" | ").append(r.outcomes().getOrDefault(Outcome.COMMITTED, 0))
                    .append(" | ").append(r.outcomes().getOrDefault(Outcome.ROLLED_BACK, 0)).append(" | ")
                    .append(r.outcomes().getOrDefault(Outcome.UNKNOWN, 0)).append(" | ")
                    .append(r.transactions() * Callers.LINES).append(" | ").append(r.refused()).append(" | ")
                    .append(r.wallTime().toMinutes()).append(" min ").append(r.wallTime().toSecondsPart())
                    .append(" s |\n");
        }
        md.append("\n### Findings\n\nAnomalies (Jepsen's names) and, after them, the in-doubt outcomes (not anomalies: "
                + "how the transactions whose callers got no answer ended).\n\n")
                .append(CheckReport.markdownHeader()).append('\n');
        results.forEach(r -> md.append(r.report().markdownRow(r.mode())).append('\n'));
        md.append('\n');
        for (CampaignResult r : results) {
            md.append("- ").append(r.mode()).append(": ").append(r.report()).append('\n');
            md.append("  - in doubt because the caller got, e.g.: ")
                    .append(r.inDoubt().stream().limit(3).map(a -> "`" + a + "`").collect(Collectors.joining(", ")))
                    .append('\n');
            for (Finding finding : Finding.values()) {
                if (finding.isAnomaly() && r.report().count(finding) > 0) {
                    r.report().examples(finding).forEach(e -> md.append("  - ").append(finding.label()).append(": ")
                            .append(e).append('\n'));
                }
            }
        }
        md.append("\n### Rounds\n\n");
        for (CampaignResult r : results) {
            md.append("#### ").append(r.mode()).append("\n\n")
                    .append(r.evidence().stream().map(e -> "- " + e).collect(Collectors.joining("\n")))
                    .append("\n\n");
        }
        Files.writeString(file, md.toString());
    }

    private static String minutes(Stream<Duration> times) {
        Duration sum = times.reduce(Duration.ZERO, Duration::plus);
        return sum.toMinutes() + " min " + sum.toSecondsPart() + " s";
    }

    private static String modes(List<CampaignResult> results, String separator) {
        return results.stream().map(r -> r.mode() + " kills").collect(Collectors.joining(separator));
    }
}
