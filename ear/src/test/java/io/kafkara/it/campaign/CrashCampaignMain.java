package io.kafkara.it.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The long XA crash campaign ({@code ./mvnw -Pfaults verify}): one campaign per broker mode, each with every
 * protocol point hit {@code campaign.hits.per.point} times (default 4) and {@code campaign.random.kills} random
 * SIGKILLs (default 30), then {@code src/docs/reliability.md} from the run. {@code campaign.modes} picks the modes
 * ({@code stock,two-phase-commit}), {@code campaign.seed} repeats a run. Exits 1 when the checker found an anomaly
 * (after writing the report).
 */
public final class CrashCampaignMain {

    private CrashCampaignMain() {
    }

    public static void main(String[] args) throws Exception {
        int hitsPerPoint = Integer.getInteger("campaign.hits.per.point", 4);
        int randomKills = Integer.getInteger("campaign.random.kills", 30);
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
        boolean complete = hitsPerPoint >= 4 && randomKills >= 30
                && modes.stream().map(String::strip).toList().containsAll(List.of("stock", "two-phase-commit"));
        ReliabilityReport.write(report, command, amounts, complete, results);
        System.out.println("Crash campaign written to " + report.toAbsolutePath());
        boolean anomalies = results.stream().anyMatch(r -> r.report().hasAnomalies());
        System.exit(anomalies ? 1 : 0);
    }
}
