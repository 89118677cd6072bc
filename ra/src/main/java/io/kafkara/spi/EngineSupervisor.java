package io.kafkara.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.PluginsPerApplication;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.SenderNotStartedException;
import io.kafkara.engine.kafka.RecordMemory;

/**
 * Creates producer engines, runs each one's sender loop as a long-running Work on the adapter's WorkManager,
 * and closes them all when the adapter stops.
 */
final class EngineSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);

    /** Builds an engine; a seam so that unit tests run real engines over a fake network and clock. */
    @FunctionalInterface
    interface EngineFactory {
        ProducerEngine create(Map<String, Object> producerConfig, ClassLoader applicationLoader);
    }

    /** How long the adapter's stop waits for the container to report the end of Works whose loop has ended. */
    static final Duration CONTAINER_RETURN_WAIT = Duration.ofSeconds(10);

    private final WorkManager workManager;
    private final Duration closeTimeout;
    private final EngineFactory engineFactory;
    private final List<ProducerEngine> running = new CopyOnWriteArrayList<>();
    /** Engines whose Work the container has started and not yet reported completed: it holds a container thread. */
    private final Set<ProducerEngine> onContainerThreads = ConcurrentHashMap.newKeySet();
    /** What definitions set up for this start of the adapter (plug-in sets, record memories): closed after the engines. */
    private final List<AutoCloseable> closedAfterEngines = new CopyOnWriteArrayList<>();
    /** Sender Works submitted and neither started nor rejected yet: at most one (see {@link #launch}). */
    private final Object startMonitor = new Object();
    private int awaitingStart;
    /** Close the definitions' idle transactional engines: what frees a thread when a Work waits for one. */
    private final List<Runnable> idleEngineClosers = new CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * @param closeTimeout how long {@link #closeAll()} lets each engine deliver what it accepted before it forces
     *                     the close (records still unacknowledged then fail)
     */
    EngineSupervisor(WorkManager workManager, Duration closeTimeout, EngineFactory engineFactory) {
        this.workManager = workManager;
        this.closeTimeout = closeTimeout;
        this.engineFactory = engineFactory;
    }

    /**
     * Builds an engine from the given producer settings and schedules its sender loop. Scheduling only queues
     * the Work; records sent before it runs wait in the engine's accumulator.
     *
     * <p>The adapter keeps at most one sender Work waiting for a thread: a container's {@code scheduleWork} blocks
     * without bound once its long-running pool and queue are full (IronJacamar does), so a second submission waits
     * here, up to the engine's max.block.ms, for the first to start, and fails then naming the work manager
     * (KAFKARA-RA-014). A healthy container starts a Work within milliseconds; one whose threads are all busy makes
     * the caller fail in max.block.ms instead of hanging, and serves again as soon as a thread is free.
     */
    ProducerEngine launch(Map<String, Object> producerConfig, ClassLoader applicationLoader) throws ResourceException {
        reserveStart(producerConfig);
        boolean submitted = false;
        try {
            // One lock with closeAll(): an engine launched while the adapter stops would run on after the stop,
            // until the container takes its thread away.
            synchronized (this) {
                if (closed) {
                    throw new ResourceException("The Kafka resource adapter is stopping: no new producer engine "
                            + "starts");
                }
                ProducerEngine engine = engineFactory.create(producerConfig, applicationLoader);
                // From here the engine's Watcher gives the slot back, whatever the container does.
                submitted = true;
                return schedule(engine);
            }
        } finally {
            if (!submitted) {
                startSettled();
            }
        }
    }

    /** A definition's idle transactional engines, closed when a sender Work waits for a thread. */
    void idleEnginesClosedOnDemand(Runnable closer) {
        idleEngineClosers.add(closer);
    }

    /**
     * Waits, up to max.block.ms, until no sender Work of this adapter waits for a thread, and takes the slot. When one
     * waits, the idle transactional engines of every definition close first: their threads then go to the waiting
     * Work and to this one.
     */
    private void reserveStart(Map<String, Object> producerConfig) throws ResourceException {
        long maxBlockMs = maxBlockMs(producerConfig);
        long deadline = System.nanoTime() + maxBlockMs * 1_000_000;
        boolean waiting;
        synchronized (startMonitor) {
            waiting = awaitingStart > 0;
        }
        if (waiting) {
            idleEngineClosers.forEach(Runnable::run);
        }
        synchronized (startMonitor) {
            while (awaitingStart > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ResourceException("KAFKARA-RA-014: no new producer engine for Kafka client "
                            + producerConfig.get(ProducerConfig.CLIENT_ID_CONFIG)
                            + ": the container has not started the sender Work submitted before it within "
                            + "max.block.ms (" + maxBlockMs + " ms), so every long-running thread of the resource "
                            + "adapter's work manager is busy (one per engine: one per definition in use, one per "
                            + "concurrent transaction, one per XA journal). "
                            + SenderNotStartedException.WORK_MANAGER_ADVICE + "; the next connection tries again");
                }
                try {
                    startMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ResourceException("Interrupted while waiting for the work manager to start a sender "
                            + "Work", e);
                }
            }
            awaitingStart++;
        }
    }

    /** The submitted Work started, was rejected, or was never submitted: the next submission may go. */
    private void startSettled() {
        synchronized (startMonitor) {
            awaitingStart--;
            startMonitor.notifyAll();
        }
    }

    private static long maxBlockMs(Map<String, Object> producerConfig) {
        Object value = producerConfig.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        if (value == null) {
            return 60_000;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            // The engine's own config check names the bad value.
            return 60_000;
        }
    }

    /**
     * The plug-in sets of a definition for this start of the adapter; closed by {@link #closeAll()} after the engines,
     * whose last records' acknowledgements still reach the applications' interceptors.
     */
    PluginsPerApplication pluginSets(Map<String, Object> pluginSettings, String clientId) throws ResourceException {
        return closedAfterEngines("application's plug-ins", () -> new PluginsPerApplication(pluginSettings, clientId));
    }

    /**
     * The record memory all engines of a definition share for this start of the adapter (its buffer.memory in all);
     * closed by {@link #closeAll()} once the engines are.
     */
    RecordMemory recordMemory(Map<String, Object> producerConfig, org.apache.kafka.common.utils.Time time)
            throws ResourceException {
        return closedAfterEngines("record memory", () -> RecordMemory.of(producerConfig, time));
    }

    /** Sets up what {@link #closeAll()} closes once the engines are closed; none while the adapter stops. */
    private <T extends AutoCloseable> T closedAfterEngines(String what, Supplier<T> setUp) throws ResourceException {
        synchronized (this) {
            if (closed) {
                throw new ResourceException("The Kafka resource adapter is stopping: no " + what + " is set up");
            }
            T resource = setUp.get();
            closedAfterEngines.add(resource);
            return resource;
        }
    }

    private ProducerEngine schedule(ProducerEngine engine) throws ResourceException {
        Watcher watcher = new Watcher(engine);
        try {
            workManager.scheduleWork(new SenderLoopWork(engine), WorkManager.INDEFINITE, null, watcher);
        } catch (WorkException e) {
            watcher.settle();
            engine.close(Duration.ZERO);
            throw new ResourceException("The WorkManager refused the sender loop of Kafka client " + engine.clientId()
                    + " (" + e.getMessage() + "); size the adapter's work manager for one long-running thread per engine", e);
        } catch (RuntimeException | Error e) {
            watcher.settle();
            engine.close(Duration.ZERO);
            throw e;
        }
        engine.workSubmitted();
        running.add(engine);
        return engine;
    }

    /** The engines whose sender loop has not ended yet. */
    int runningCount() {
        return running.size();
    }

    /** Closes the engines one after another, each with the close timeout; an engine's failure spares the others. */
    void closeAll() {
        synchronized (this) {
            closed = true;
        }
        for (ProducerEngine engine : running) {
            try {
                engine.close(closeTimeout);
            } catch (RuntimeException | LinkageError e) {
                // A LinkageError: a class first needed at the close could not be loaded, as on Open Liberty, which
                // removes an EAR's class cache before it stops the adapter inside it. The others must stop anyway.
                LOG.error("KAFKARA-RA-003: closing the engine of Kafka client {} failed; closing the others",
                        engine.clientId(), e);
            }
        }
        running.clear();
        awaitContainerThreadsReturned();
        for (AutoCloseable resource : closedAfterEngines) {
            try {
                resource.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("KAFKARA-RA-003: closing {} failed; closing the others", resource, e);
            }
        }
        closedAfterEngines.clear();
    }

    /**
     * A closed engine's loop has ended, but its container thread still runs the Work's last steps and the container's
     * own bookkeeping. The adapter's stop must not return before the container reported each Work completed: the
     * container may stop its thread pool right after the stop, and WildFly's pool then kills a thread whose task ends
     * later with {@code java.lang.Error: Maximum permit count exceeded} (src/docs/lifecycle.md).
     */
    private void awaitContainerThreadsReturned() {
        long deadline = System.nanoTime() + CONTAINER_RETURN_WAIT.toNanos();
        synchronized (onContainerThreads) {
            while (!onContainerThreads.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("KAFKARA-RA-013: the container did not report the end of the sender Work of {} within "
                            + "{} ms of its close", onContainerThreads.stream().map(ProducerEngine::clientId).toList(),
                            CONTAINER_RETURN_WAIT.toMillis());
                    return;
                }
                try {
                    onContainerThreads.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void returnedFromContainerThread(ProducerEngine engine) {
        synchronized (onContainerThreads) {
            onContainerThreads.remove(engine);
            onContainerThreads.notifyAll();
        }
    }

    /**
     * An engine whose sender loop is over (closed, or dead) is released and no longer tracked: transactional
     * connections each own an engine, so destroyed connections must not accumulate here, and a dead engine's
     * metrics and MBeans must go even though nobody closed it.
     */
    private void ended(ProducerEngine engine) {
        running.remove(engine);
        engine.close(Duration.ZERO);
    }

    /**
     * Logs a sender loop that the container rejected or that ended with an error, and hands the engine back to the
     * supervisor when its Work is over. Forgets the engine then, as {@link SenderLoopWork} does: the container may
     * keep a finished Work's listener reachable.
     */
    private final class Watcher implements WorkListener {
        private final String clientId;
        private volatile ProducerEngine engine;
        private final AtomicBoolean settled = new AtomicBoolean();

        Watcher(ProducerEngine engine) {
            this.clientId = engine.clientId();
            this.engine = engine;
        }

        @Override
        public void workAccepted(WorkEvent event) {
            // Queued: nothing to report.
        }

        @Override
        public void workRejected(WorkEvent event) {
            LOG.error("KAFKARA-RA-001: the WorkManager rejected the sender loop of Kafka client {}: {}",
                    clientId, String.valueOf(event.getException()));
            settle();
            ProducerEngine rejected = engine;
            engine = null;
            if (rejected != null) {
                ended(rejected);
            }
        }

        @Override
        public void workStarted(WorkEvent event) {
            settle();
            ProducerEngine started = engine;
            if (started != null) {
                onContainerThreads.add(started);
            }
            LOG.debug("Sender loop of Kafka client {} started", clientId);
        }

        @Override
        public void workCompleted(WorkEvent event) {
            settle();
            ProducerEngine completed = engine;
            engine = null;
            if (event.getException() != null) {
                LOG.error("KAFKARA-RA-002: the sender loop of Kafka client {} ended with an error", clientId,
                        event.getException());
            }
            if (completed != null) {
                ended(completed);
                returnedFromContainerThread(completed);
            }
        }

        /** The Work no longer waits for a thread: the first of started, rejected or completed says so. */
        private void settle() {
            if (settled.compareAndSet(false, true)) {
                startSettled();
            }
        }
    }
}
