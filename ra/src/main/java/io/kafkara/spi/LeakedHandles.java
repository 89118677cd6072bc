package io.kafkara.spi;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.config.HandleSettings;
import io.kafkara.config.InvalidSettingsException;

/**
 * Finds the handles of one connection factory that the application lost without closing them, and warns once per
 * handle. Each handle is tracked by a phantom reference that its close() retires; a reference the garbage collector
 * enqueued while still tracked is a lost handle. The queue is drained by the next getConnection(): the adapter starts
 * no thread, so a lost handle is reported when its definition is used again.
 *
 * <p>The stack where a handle was obtained is taken only when the definition asks for it (leakStackTraces): a
 * stack costs far more than the rest of a getConnection().
 */
final class LeakedHandles {

    private static final Logger LOG = LoggerFactory.getLogger(LeakedHandles.class);

    private final String definition;
    private final boolean stacks;
    private final ReferenceQueue<KafkaConnectionImpl> collected = new ReferenceQueue<>();
    /**
     * The newest tracking still open, head of a list linked through the trackings: keeps the references themselves
     * reachable (an unreachable reference would never be enqueued). A list under this object's lock rather than a
     * concurrent set: linking and unlinking allocate nothing and touch no shared counter, which a per-record
     * getConnection/close pays twice (guarded by this).
     */
    private Tracking newestOpen;
    private final AtomicLong handleNumbers = new AtomicLong();

    /**
     * @param definition how warnings name the definition, e.g. "The connection definition with clientIdPrefix=orders"
     * @param stacks     whether to record where each handle is obtained
     */
    LeakedHandles(String definition, boolean stacks) {
        this.definition = definition;
        this.stacks = stacks;
    }

    /**
     * For the handles of a definition, named as every message of the adapter names it (the container does not tell
     * the adapter a definition's JNDI name). A wrong leakStackTraces value leaves stacks off: the activation reported
     * it already, and such a definition refuses every connection.
     */
    static LeakedHandles of(KafkaManagedConnectionFactory definition) {
        boolean stacks;
        try {
            stacks = HandleSettings.of(definition.settingValues()).leakStackTraces();
        } catch (InvalidSettingsException e) {
            stacks = false;
        }
        return new LeakedHandles(definition.identity(), stacks);
    }

    /** One handle's tracking: holds its number and, with stacks on, where it was obtained; never the handle. */
    final class Tracking extends PhantomReference<KafkaConnectionImpl> {

        private final long number;
        private final Throwable obtainedAt;
        /** Neighbours in the list of open trackings (guarded by the enclosing LeakedHandles). */
        private Tracking older;
        private Tracking newer;
        private boolean open;

        private Tracking(KafkaConnectionImpl handle, long number, Throwable obtainedAt) {
            super(handle, collected);
            this.number = number;
            this.obtainedAt = obtainedAt;
        }

        /** The application closed the handle: it was not lost. */
        void retire() {
            if (untrack(this)) {
                clear();
            }
        }
    }

    /** Starts tracking a handle the application just obtained. */
    Tracking track(KafkaConnectionImpl handle) {
        long number = handleNumbers.incrementAndGet();
        Tracking tracking = new Tracking(handle, number, stacks ? obtainedAt(number) : null);
        link(tracking);
        return tracking;
    }

    private synchronized void link(Tracking tracking) {
        tracking.open = true;
        tracking.older = newestOpen;
        if (newestOpen != null) {
            newestOpen.newer = tracking;
        }
        newestOpen = tracking;
    }

    /** @return whether {@code tracking} was still open (neither retired nor reported) */
    private synchronized boolean untrack(Tracking tracking) {
        if (!tracking.open) {
            return false;
        }
        tracking.open = false;
        if (tracking.newer != null) {
            tracking.newer.older = tracking.older;
        } else {
            newestOpen = tracking.older;
        }
        if (tracking.older != null) {
            tracking.older.newer = tracking.newer;
        }
        tracking.older = null;
        tracking.newer = null;
        return true;
    }

    /** The caller's stack from the application's getConnection() on: the adapter's own frames say nothing. */
    private static Throwable obtainedAt(long number) {
        Throwable obtainedAt = new Throwable("Kafka connection handle #" + number + " was obtained here, on thread "
                + Thread.currentThread().getName());
        StackTraceElement[] stack = obtainedAt.getStackTrace();
        int first = 0;
        while (first < stack.length - 1 && isOwnFrame(stack[first])) {
            first++;
        }
        obtainedAt.setStackTrace(Arrays.copyOfRange(stack, first, stack.length));
        return obtainedAt;
    }

    private static boolean isOwnFrame(StackTraceElement frame) {
        return frame.getClassName().equals(LeakedHandles.class.getName())
                || frame.getClassName().equals(KafkaConnectionFactoryImpl.class.getName());
    }

    /** Warns about each handle collected since the last call without having been closed. */
    void reportCollected() {
        for (Reference<? extends KafkaConnectionImpl> gone = collected.poll(); gone != null; gone = collected.poll()) {
            if (gone instanceof Tracking lost && untrack(lost)) {
                warn(lost);
            }
        }
    }

    private void warn(Tracking lost) {
        String message = "KAFKARA-RA-020: " + definition + ": its Kafka connection handle #" + lost.number + " was "
                + "garbage collected without close(): the application lost it. It held a pooled connection until the "
                + "container took that back. Close every connection, e.g. with try-with-resources";
        if (lost.obtainedAt == null) {
            LOG.warn("{}; set the definition's leakStackTraces=true to log where each lost handle was obtained",
                    message);
        } else {
            LOG.warn("{}. Where it was obtained", message, lost.obtainedAt);
        }
    }
}
