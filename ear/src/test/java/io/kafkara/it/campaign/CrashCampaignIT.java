package io.kafkara.it.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kafkara.it.check.Outcome;

/**
 * The short version of the XA crash campaign ({@link CrashCampaignMain} runs the long one): against a stock
 * broker, two rounds, one kill at a protocol point drawn from all of them (a Byteman rule halts the server JVM) and
 * one SIGKILL at a random moment, with 8 callers placing orders all along; after each kill the server restarts and
 * recovers. {@code -Dcampaign.seed} repeats a run (the seed is printed).
 */
class CrashCampaignIT {

    @Test
    void recoveryAfterAPointKillAndARandomKillLeavesNoAnomaly() throws Exception {
        long seed = Long.getLong("campaign.seed", System.nanoTime());
        List<Fault> faults = CampaignPlan.shortCampaign(seed);
        System.out.println("CrashCampaignIT: seed " + seed + ", faults " + faults);
        CampaignResult result = new CrashCampaign("stock", false, faults, "crash-campaign-short").run();
        System.out.println("CrashCampaignIT: " + result.evidence() + "; " + result.outcomes() + "; "
                + result.report() + "; in doubt: " + result.inDoubt() + "; " + result.wallTime().toSeconds() + " s");

        result.report().assertNone();
        assertEquals(1, result.kills().get(faults.get(0).label()), "the rule killed the server at its point: "
                + result.evidence());
        assertEquals(1, result.kills().get("random"), result.evidence().toString());
        assertTrue(result.evidence().get(0).contains("the rule wrote '" + faults.get(0).point().label() + " hit "),
                "the point round's proof is its rule's marker: " + result.evidence());
        assertTrue(result.outcomes().getOrDefault(Outcome.COMMITTED, 0) > 0
                && result.outcomes().getOrDefault(Outcome.ROLLED_BACK, 0) > 0,
                "the callers committed and rolled back orders between the kills: " + result.outcomes());
    }
}
