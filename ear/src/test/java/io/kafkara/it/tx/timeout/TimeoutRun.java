package io.kafkara.it.tx.timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one timed-out transaction did, filled in by the bean that ran it and read by the test after the call. Local
 * EJB calls pass it by reference, so the test sees it also when the container's commit makes the call fail. It
 * lives in the EAR's library jar, the beans in their own module (another class loader): hence public mutators.
 */
public final class TimeoutRun {

    /** How long the application keeps sending unless a send fails: past the 2 s timeout of every scenario. */
    public static final Duration DEFAULT_SENDING = Duration.ofSeconds(5);

    private final String topic;
    private final String key;
    private final Duration sending;
    private long begunNanos;
    private int sent;
    private Exception firstFailure;
    private long firstFailureAfterMs = -1;
    private Exception commitFailure;
    private boolean committed;

    public TimeoutRun(String topic, String key) {
        this(topic, key, DEFAULT_SENDING);
    }

    public TimeoutRun(String topic, String key, Duration sending) {
        this.topic = topic;
        this.key = key;
        this.sending = sending;
    }

    /** How long {@link PacedSends} goes on sending while nothing fails. */
    public Duration sending() {
        return sending;
    }

    public String topic() {
        return topic;
    }

    public String key() {
        return key;
    }

    /** Marks the start of the transaction: the timeout counts from here. */
    public void begun() {
        begunNanos = System.nanoTime();
    }

    public void sent(int count) {
        sent = count;
    }

    public void failed(Exception failure) {
        firstFailure = failure;
        firstFailureAfterMs = (System.nanoTime() - begunNanos) / 1_000_000;
    }

    public void committed() {
        committed = true;
    }

    public void commitFailed(Exception failure) {
        commitFailure = failure;
    }

    /** Records acknowledged before the first failure. */
    public int sent() {
        return sent;
    }

    public Exception firstFailure() {
        return firstFailure;
    }

    /** Milliseconds from the transaction's start to the first failed send, -1 if none failed. */
    public long firstFailureAfterMs() {
        return firstFailureAfterMs;
    }

    public Exception commitFailure() {
        return commitFailure;
    }

    public boolean wasCommitted() {
        return committed;
    }

    /** Whether some exception in the chain says, in its message, that the transaction timed out. */
    public static boolean namesTheTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("transaction timeout")) {
                return true;
            }
        }
        return false;
    }

    /** Every exception of the chain with its message, for assertion messages and the record of a run. */
    public static String chain(Throwable failure) {
        List<String> links = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            links.add(t.getClass().getName() + ": " + t.getMessage());
        }
        return links.isEmpty() ? "none" : String.join(" <- caused by ", links);
    }

    @Override
    public String toString() {
        return "run of " + key + " on " + topic + ": " + sent + " records acknowledged; first failed send after "
                + firstFailureAfterMs + " ms: " + chain(firstFailure) + "; commit: "
                + (committed ? "committed" : chain(commitFailure));
    }
}
