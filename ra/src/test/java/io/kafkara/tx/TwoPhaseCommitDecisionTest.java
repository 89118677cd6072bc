package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import io.kafkara.config.TransactionSettings;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;

/**
 * Per definition, once: two-phase commit mode or the stock broker's timeout, by twoPhaseCommitMode and the cluster's
 * answer (scripted here; TwoPhaseCommitProbeTest covers how the answer is obtained), and the one line that says so.
 */
class TwoPhaseCommitDecisionTest {

    private static final String PROBE_ID = "orders-node1-2pc-check";
    private static final TwoPhaseCommitProbe.Verdict KEEPS = new TwoPhaseCommitProbe.Verdict(true, "accepted");
    private static final TwoPhaseCommitProbe.Verdict REFUSES = new TwoPhaseCommitProbe.Verdict(false, "refused");

    private final List<String> checks = new ArrayList<>();

    private TwoPhaseCommitDecision decision(String level, String mode, TwoPhaseCommitProbe.Verdict... answers) {
        TransactionSettings settings = new TransactionSettings(level, "orders", "node1", 20, "branches", mode,
                TransactionSettings.DEFAULT_COMMIT_TIMEOUT_MS);
        List<TwoPhaseCommitProbe.Verdict> scripted = new ArrayList<>(List.of(answers));
        return new TwoPhaseCommitDecision(settings, 3_000, (id, timeoutMs) -> {
            checks.add(id + " timeout=" + timeoutMs);
            if (scripted.isEmpty()) {
                throw new TimeoutException("no answer within 30000 ms");
            }
            return scripted.remove(0);
        });
    }

    @Test
    void autoOnAClusterThatKeepsPreparedTransactionsEnablesItOnceAndSaysSo() throws ResourceException {
        TwoPhaseCommitDecision decision = decision("XATransaction", "auto", KEEPS);

        assertTrue(decision.enabled(PROBE_ID));
        assertTrue(decision.enabled(PROBE_ID), "decided once, remembered");
        assertEquals(List.of(PROBE_ID + " timeout=3000"), checks, "the cluster is asked once");
        assertEquals("KAFKARA-TX-030: XA definition transactionalIdPrefix=orders: two-phase commit enabled on the "
                + "cluster: prepared branches do not expire (accepted)", decision.statement());
    }

    @Test
    void autoOnAStockBrokerWarnsWithTheWindow() throws ResourceException {
        TwoPhaseCommitDecision decision = decision("XATransaction", "auto", REFUSES);

        assertFalse(decision.enabled(PROBE_ID));
        assertEquals("KAFKARA-TX-031: XA definition transactionalIdPrefix=orders: stock broker: a prepared branch is "
                + "aborted by the broker after transaction.timeout.ms=3000 ms (broker cap transaction.max.timeout.ms); "
                + "commits later than that are reported as heuristic rollback (refused)", decision.statement());
    }

    @Test
    void requiredRefusesAStockBrokerNamingWhatToConfigure() {
        TwoPhaseCommitDecision decision = decision("XATransaction", "required", REFUSES);

        ResourceException e = assertThrows(ResourceException.class, () -> decision.enabled(PROBE_ID));
        assertTrue(e.getMessage().contains("twoPhaseCommitMode=required") && e.getMessage().contains("refused")
                && e.getMessage().contains("transaction.two.phase.commit.enable=true")
                && e.getMessage().contains("unstable.api.versions.enable=true"), e.getMessage());
    }

    @Test
    void offNeverAsksAndWarnsWithTheWindow() throws ResourceException {
        TwoPhaseCommitDecision decision = decision("XATransaction", "off");

        assertFalse(decision.enabled(PROBE_ID));
        assertEquals(List.of(), checks);
        assertTrue(decision.statement().contains("transaction.timeout.ms=3000 ms")
                && decision.statement().endsWith("(twoPhaseCommitMode=off)"), decision.statement());
    }

    @Test
    void localTransactionsNeverAskAndSayNothing() throws ResourceException {
        TwoPhaseCommitDecision decision = decision("LocalTransaction", "auto", KEEPS);

        assertFalse(decision.enabled(PROBE_ID));
        assertEquals(List.of(), checks);
        assertNull(decision.statement());
    }

    @Test
    void aClusterThatDoesNotAnswerDecidesNothingAndIsAskedAgain() throws ResourceException {
        TwoPhaseCommitDecision decision = decision("XATransaction", "auto");

        ResourceException e = assertThrows(ResourceException.class, () -> decision.enabled(PROBE_ID));
        assertTrue(e.getMessage().contains("no answer within 30000 ms") && e.getMessage().contains("orders"),
                e.getMessage());
        assertThrows(ResourceException.class, () -> decision.enabled(PROBE_ID));
        assertEquals(2, checks.size(), "each use asks again until the cluster answers");
    }
}
