package io.kafkara.engine;

import java.util.function.LongSupplier;

/**
 * Whether an engine can reach a broker, found out without a send: when its last answer from a broker is older than
 * the probe interval, a look asks the loop for metadata (connecting if it must) and remembers when; while that
 * request has had no answer, the engine counts as unreachable since then. A busy engine and an idle one are judged
 * alike, and nothing runs between looks: whoever looks (a health check) drives the probe.
 */
final class BrokerReachability {

    /** The longest an answer counts as recent: a look after that asks again. */
    static final long MAX_PROBE_INTERVAL_MS = 5_000;

    private final LongSupplier lastContactMs;
    private final Runnable requestContact;
    private final LongSupplier clockMs;
    private final long probeIntervalMs;
    /** When the unanswered probe was asked for; -1 when none is. */
    private long probeAskedMs = -1;

    /**
     * @param maxBlockMs the engine's max.block.ms: a probe goes out at a quarter of it at the latest, so that an
     *                   outage shows soon after max.block.ms
     */
    BrokerReachability(LongSupplier lastContactMs, Runnable requestContact, LongSupplier clockMs, long maxBlockMs) {
        this.lastContactMs = lastContactMs;
        this.requestContact = requestContact;
        this.clockMs = clockMs;
        this.probeIntervalMs = Math.max(1, Math.min(MAX_PROBE_INTERVAL_MS, maxBlockMs / 4));
    }

    /** How long the engine has waited for any broker's answer (0 while it has one recent enough); may probe. */
    synchronized long unreachableForMs() {
        long now = clockMs.getAsLong();
        long contact = lastContactMs.getAsLong();
        if (probeAskedMs >= 0 && contact >= probeAskedMs) {
            probeAskedMs = -1;
        }
        if (probeAskedMs < 0 && now - contact >= probeIntervalMs) {
            probeAskedMs = now;
            requestContact.run();
        }
        return probeAskedMs < 0 ? 0 : now - probeAskedMs;
    }
}
