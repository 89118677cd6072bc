package io.kafkara.it.tx.timeout;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An application that keeps sending inside its transaction past the transaction's timeout: one record about every
 * 100 ms for the run's {@link TimeoutRun#sending() length} (5 s unless a server needs longer), each awaited until the
 * broker acknowledges it, stopping at the first failure.
 */
public final class PacedSends {

    private static final long PACE_MS = 100;
    private static final long ACK_TIMEOUT_S = 10;

    /** Sends one record and waits for its acknowledgement. */
    @FunctionalInterface
    public interface Send {
        void sendAndAwait(ProducerRecord<String, String> record, long timeout, TimeUnit unit) throws Exception;
    }

    private PacedSends() {
    }

    public static void run(TimeoutRun run, Send send) {
        long end = System.nanoTime() + run.sending().toNanos();
        for (int n = 1; System.nanoTime() < end; n++) {
            try {
                send.sendAndAwait(new ProducerRecord<>(run.topic(), run.key(), run.key() + "/" + n),
                        ACK_TIMEOUT_S, TimeUnit.SECONDS);
                run.sent(n);
                // Pacing, not waiting for a condition: the scenario is a transaction that is still busy sending
                // when its timeout strikes, so the sends must spread over the whole run.
                Thread.sleep(PACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.failed(e);
                return;
            } catch (Exception e) {
                run.failed(e);
                return;
            }
        }
    }
}
