package io.kafkara.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

/**
 * The container's WorkManager as the adapter uses it: {@code scheduleWork} with a listener queues the Work; the test
 * decides when it runs, on a thread of this fake (as a container pool thread would). Anything else throws.
 */
final class FakeWorkManager implements WorkManager {

    private final List<Work> scheduled = new ArrayList<>();
    private final Map<Work, WorkListener> listeners = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Work> started = new ArrayList<>();
    private volatile CountDownLatch completions = new CountDownLatch(0);

    @Override
    public synchronized void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduled.add(work);
        listeners.put(work, listener);
        listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
    }

    /**
     * From now on a Work that returns reports its completion to its listener only after {@link #letCompletionsGo()}:
     * as a container thread that still has its own bookkeeping to do after run() returned.
     */
    void holdCompletions() {
        completions = new CountDownLatch(1);
    }

    void letCompletionsGo() {
        completions.countDown();
    }

    /** Starts every queued Work on its own thread, reporting its start and its end as a container does. */
    synchronized void runScheduled() {
        for (Work work : scheduled) {
            WorkListener listener = listeners.get(work);
            Thread thread = new Thread(() -> runAndReport(work, listener), "fake-work-manager-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
            started.add(work);
            thread.start();
        }
        scheduled.clear();
    }

    private void runAndReport(Work work, WorkListener listener) {
        listener.workStarted(new WorkEvent(this, WorkEvent.WORK_STARTED, work, null));
        WorkException failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = new WorkException(e);
        }
        try {
            completions.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, failure));
    }

    /** What a container's work manager does when it shuts down with Works still running: release each in turn. */
    void releaseStarted() {
        List<Work> toRelease;
        synchronized (this) {
            toRelease = new ArrayList<>(started);
        }
        toRelease.forEach(Work::release);
    }

    synchronized int scheduledCount() {
        return scheduled.size();
    }

    /** True when every Work this fake ran has returned within the bound. */
    synchronized boolean allWorkEndedWithin(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void doWork(Work work) {
        throw unsupported("doWork(Work)");
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        throw unsupported("doWork(Work, long, ExecutionContext, WorkListener)");
    }

    @Override
    public long startWork(Work work) {
        throw unsupported("startWork(Work)");
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        throw unsupported("startWork(Work, long, ExecutionContext, WorkListener)");
    }

    @Override
    public void scheduleWork(Work work) {
        throw unsupported("scheduleWork(Work) without a listener");
    }

    private static UnsupportedOperationException unsupported(String call) {
        return new UnsupportedOperationException("FakeWorkManager does not support " + call);
    }
}
