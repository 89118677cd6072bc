package io.kafkara.it.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.kafkara.it.faults.BrokerScenarioResult;

/**
 * The long XA crash campaign ({@code ./mvnw -Pfaults verify}): one campaign per broker mode, each with every
 * protocol point hit {@code campaign.hits.per.point} times (default 4) and {@code campaign.random.kills} random
 * SIGKILLs (default 15, so 30 in the two modes), then {@code src/docs/reliability.md} from the run. {@code campaign.modes} picks the modes
 * ({@code stock,two-phase-commit}), {@code campaign.seed} repeats a run. The report also shows the broker fault
 * scenarios' results that BrokerFailoverIT left in {@code campaign.broker.results} (it runs before, in the same
 * build). Exits 1 when the checker found an anomaly in the campaign (after writing the report).
 */
public final class CrashCampaignMain {

    private CrashCampaignMain() {
    }

    /** The broker scenarios' amounts as the faults profile passed them on, for the report's command line. */
    private static String brokerAmounts() {
        StringBuilder amounts = new StringBuilder();
        for (String name : List.of("faults.leaderKills", "faults.freezes", "faults.records.minimum",
                "faults.transactions.size")) {
            String value = System.getProperty(name);
            if (value != null && !value.isEmpty()) {
                amounts.append(" -D").append(name).append('=').append(value);
            }
        }
        return amounts.toString();
    }

    public static void main(String[] args) throws Exception {
        int hitsPerPoint = Integer.getInteger("campaign.hits.per.point", 4);
        int randomKills = Integer.getInteger("campaign.random.kills", 15);
        long seed = Long.getLong("campaign.seed", System.nanoTime());
        List<String> modes = List.of(System.getProperty("campaign.modes", "stock,two-phase-commit").split(","));
        String amounts = "per broker mode " + hitsPerPoint + " kill(s) at each point and " + randomKills
                + " random kill(s); modes " + String.join(" and ", modes) + "; seed " + seed;
        String command = "./mvnw -Pfaults verify -Dcampaign.hits.per.point=" + hitsPerPoint
                + " -Dcampaign.random.kills=" + randomKills + " -Dcampaign.modes=" + String.join(",", modes)
                + " -Dcampaign.seed=" + seed;
        System.out.println("Crash campaign: " + amounts);
        List<CampaignResult> results = new ArrayList<>();
        for (String mode : modes) {
            boolean twoPhaseCommit = switch (mode.strip()) {
                case "stock" -> false;
                case "two-phase-commit" -> true;
                default -> throw new IllegalArgumentException("campaign.modes: '" + mode + "' is neither stock nor "
                        + "two-phase-commit");
            };
            List<Fault> faults = CampaignPlan.draw(seed, hitsPerPoint, randomKills);
            results.add(new CrashCampaign(mode.strip(), twoPhaseCommit, faults, "crash-campaign-" + mode.strip())
                    .run());
        }
        Path report = Path.of(System.getProperty("campaign.report", "src/docs/reliability.md"));
        List<BrokerScenarioResult> brokers = BrokerScenarioResult.readAll(Path.of(System.getProperty(
                "campaign.broker.results", "target/faults")));
        boolean complete = hitsPerPoint >= 4 && randomKills * modes.size() >= 30
                && modes.stream().map(String::strip).toList().containsAll(List.of("stock", "two-phase-commit"))
                && brokers.size() == 3 && brokers.stream().mapToInt(BrokerScenarioResult::brokerKills).sum() >= 10
                && brokers.stream().anyMatch(b -> b.sends() >= 100_000);
        ReliabilityReport.write(report, command + brokerAmounts(), amounts, complete, brokers, results);
        System.out.println("Crash campaign written to " + report.toAbsolutePath());
        boolean anomalies = results.stream().anyMatch(r -> r.report().hasAnomalies());
        System.exit(anomalies ? 1 : 0);
    }
}
