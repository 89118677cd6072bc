package io.kafkara.engine;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * Where an engine's sender loop is in its life (not started, running, ended), whether the engine is closing, and why
 * the loop died if it did. Waiting for the loop's end goes through the injected {@link Time}, so a test clock
 * decides timeouts and nothing sleeps.
 */
final class SenderLoopState {

    private enum Phase { NEW, RUNNING, ENDED }

    private final Time time;
    private final Object monitor = new Object();
    /** Written under {@link #monitor}; volatile so the callers' per-call check reads it without the lock. */
    private volatile Phase phase = Phase.NEW;
    private volatile Thread loopThread;
    private volatile boolean closing;
    private volatile Throwable deathCause;
    private final List<Runnable> afterEnd = new ArrayList<>();
    /** When the container was given the loop's Work, by the engine's clock; -1 before. */
    private volatile long submittedAtMs = -1;

    SenderLoopState(Time time) {
        this.time = time;
    }

    /** The container accepted the loop's Work: from now on its start is awaited. */
    void markSubmitted() {
        submittedAtMs = time.milliseconds();
    }

    /** How long the submitted Work has been waiting for a thread; -1 if it was not submitted or has started. */
    long unstartedForMs() {
        long submitted = submittedAtMs;
        if (submitted < 0 || phase != Phase.NEW) {
            return -1;
        }
        return Math.max(0, time.milliseconds() - submitted);
    }

    /** Claims the loop for the calling thread; false if the loop already ran or the engine closed before it started. */
    boolean start() {
        synchronized (monitor) {
            if (phase != Phase.NEW) {
                return false;
            }
            phase = Phase.RUNNING;
            loopThread = Thread.currentThread();
            return true;
        }
    }

    /** Marks a loop that never started as ended, so that a late start does nothing; false if it had started. */
    boolean claimUnstarted() {
        synchronized (monitor) {
            if (phase != Phase.NEW) {
                return false;
            }
            phase = Phase.ENDED;
            monitor.notifyAll();
        }
        runAfterEnd();
        return true;
    }

    void end() {
        synchronized (monitor) {
            phase = Phase.ENDED;
            loopThread = null;
            monitor.notifyAll();
        }
        runAfterEnd();
    }

    /** Runs {@code action} once the loop has ended (at once if it has): on the thread that ends it. */
    void afterEnd(Runnable action) {
        synchronized (monitor) {
            if (phase != Phase.ENDED) {
                afterEnd.add(action);
                return;
            }
        }
        action.run();
    }

    private void runAfterEnd() {
        List<Runnable> actions;
        synchronized (monitor) {
            actions = new ArrayList<>(afterEnd);
            afterEnd.clear();
        }
        actions.forEach(Runnable::run);
    }

    /** True while the loop runs on a thread other than the caller's (waiting for its end would not deadlock). */
    boolean runsOnAnotherThread() {
        synchronized (monitor) {
            return phase == Phase.RUNNING && loopThread != Thread.currentThread();
        }
    }

    boolean hasEnded() {
        synchronized (monitor) {
            return phase == Phase.ENDED;
        }
    }

    /** Waits up to timeoutMs (by the engine's clock) for the loop to end; true if it has. */
    boolean awaitEnd(long timeoutMs) {
        long now = time.milliseconds();
        long deadline = timeoutMs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutMs;
        try {
            time.waitObject(monitor, () -> phase == Phase.ENDED, deadline);
            return true;
        } catch (TimeoutException e) {
            return hasEnded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return hasEnded();
        }
    }

    /** The engine's safety net for the transaction manager: is the current thread running this loop? */
    boolean isLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    void markClosing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    void markDead(Throwable cause) {
        deathCause = cause;
    }

    /** Why the loop stopped while the engine was not closing, or null while it has not. */
    Throwable deathCause() {
        return deathCause;
    }
}
