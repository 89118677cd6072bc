package io.kafkara.it.campaign;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kafkara.it.check.CheckReport;
import io.kafkara.it.check.Outcome;

/**
 * What one campaign against one broker mode did and found: the kills by name (a protocol point, or
 * {@code random}), what each proved (the marker its rule wrote, or the SIGKILL), the callers' transactions by the
 * outcome they were told, the checker's report, and the wall time.
 *
 * @param kills    by {@link Fault#label()}, in {@link CrashPoint} order then {@code random}
 * @param evidence one line per round: the fault and what proved it
 * @param refused  calls refused by the dead server before the callers paused: never made, not in the history
 * @param inDoubt  the first answers that left a transaction in doubt
 */
record CampaignResult(String mode, Map<String, Integer> kills, List<String> evidence,
                      Map<Outcome, Integer> outcomes, int refused, CheckReport report, List<String> inDoubt, Duration wallTime) {

    int transactions() {
        return outcomes.values().stream().mapToInt(Integer::intValue).sum();
    }

    int totalKills() {
        return kills.values().stream().mapToInt(Integer::intValue).sum();
    }
}
