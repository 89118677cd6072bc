package io.kafkara.it.tx.crash;

import io.kafkara.it.broker.SharedKafka;

/**
 * The crash scenarios of {@link KilledServerRecovery} on the shared stock broker: prepared branches would expire only
 * after the definitions' {@code transaction.timeout.ms} of 300 s, so recovery alone explains every outcome.
 */
class TunedCrashRecoveryIT extends KilledServerRecovery {

    @Override
    protected String startBrokers() {
        return SharedKafka.get().bootstrapServers();
    }

    @Override
    protected void stopBrokers() {
        // The shared broker outlives this class.
    }

    @Override
    protected String modeProperties() {
        return "";
    }

    @Override
    protected String decisionLine() {
        return "KAFKARA-TX-031";
    }

    @Override
    protected String workName() {
        return "crash";
    }
}
