package io.kafkara.it.tx.crash;

import io.kafkara.it.broker.KafkaCluster;

/**
 * The crash scenarios of {@link KilledServerRecovery} on a broker of its own that runs two-phase commit
 * ({@code transaction.two.phase.commit.enable}, {@code unstable.api.versions.enable}) and caps every other
 * transaction at {@code transaction.max.timeout.ms=3000}, checked every 500 ms. The definitions require the mode.
 * The server is down, and then recovering, for far longer than 3 s, so a branch that was prepared before the kill
 * and is committed once afterwards shows that the broker kept it; the open transaction nothing prepared (which the
 * broker would never time out in this mode either) shows the adapter's orphan sweep.
 */
class TunedTwoPhaseCommitCrashRecoveryIT extends KilledServerRecovery {

    private KafkaCluster kafka;

    @Override
    protected String startBrokers() throws Exception {
        kafka = KafkaCluster.builder().twoPhaseCommit()
                .brokerProperty("transaction.max.timeout.ms", "3000")
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start();
        return kafka.bootstrapServers();
    }

    @Override
    protected void stopBrokers() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    protected String modeProperties() {
        return "<config-property name=\"twoPhaseCommitMode\">required</config-property>";
    }

    @Override
    protected String decisionLine() {
        return "KAFKARA-TX-030";
    }

    @Override
    protected String workName() {
        return "crash-2pc";
    }
}
