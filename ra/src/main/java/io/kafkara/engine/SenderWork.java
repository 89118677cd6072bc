package io.kafkara.engine;

import jakarta.resource.spi.work.Work;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.ProducerPipeline;

/**
 * The engine's sender loop as a long-running container {@link Work}: {@link #run()} occupies the container thread
 * until the engine closes; {@link #release()} (the container asking the Work to stop) starts an orderly close. If
 * the loop ends while the engine is not closing, the engine is dead: it fails what it buffered and refuses further
 * use. Submit it once, with the hints of {@link ProducerEngine#workContext()}.
 */
public final class SenderWork implements Work {

    private static final Logger LOG = LoggerFactory.getLogger(SenderWork.class);

    /** How long the container's release lets the loop deliver what it holds before forcing it. */
    static final long RELEASE_DRAIN_MS = 5_000;
    /** How long a forced loop may take to end: one pass of the network client. */
    static final long RELEASE_FORCED_END_MS = 5_000;

    private final ProducerPipeline pipeline;
    private final SenderLoopState loop;

    SenderWork(ProducerPipeline pipeline, SenderLoopState loop) {
        this.pipeline = pipeline;
        this.loop = loop;
    }

    @Override
    public void run() {
        if (!loop.start()) {
            LOG.debug("[clientId={}] Sender Work started after the engine closed or after an earlier run; "
                    + "nothing to do", pipeline.clientId());
            return;
        }
        Throwable failure = null;
        try {
            pipeline.runSenderLoop();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            finish(failure);
        }
    }

    /**
     * Returns once the loop has ended (after a bounded drain, then a forced close): the container calls this when it
     * shuts its work manager down with the Work still running, and may stop the thread pool right after. WildFly's
     * blocking pool, when it stops, hands out every permit its semaphore can hold to wake blocked submitters; a task
     * that ends after that returns one permit too many, and the pool thread dies with
     * {@code java.lang.Error: Maximum permit count exceeded}. Ending the loop before this method returns keeps the
     * Work from outliving the pool.
     */
    @Override
    public void release() {
        LOG.info("[clientId={}] The container released the sender Work: closing the loop after pending requests",
                pipeline.clientId());
        loop.markClosing();
        pipeline.initiateClose();
        if (!loop.runsOnAnotherThread() || loop.awaitEnd(RELEASE_DRAIN_MS)) {
            return;
        }
        LOG.warn("KAFKARA-ENG-007: [clientId={}] pending requests did not complete within {} ms of the container's "
                + "release; forcing close, unacknowledged records fail", pipeline.clientId(), RELEASE_DRAIN_MS);
        pipeline.forceClose();
        if (!loop.awaitEnd(RELEASE_FORCED_END_MS)) {
            LOG.warn("KAFKARA-ENG-004: [clientId={}] the sender loop did not end within {} ms of a forced close; its "
                    + "Work may still hold a container thread", pipeline.clientId(), RELEASE_FORCED_END_MS);
        }
    }

    private void finish(Throwable failure) {
        try {
            if (!loop.isClosing()) {
                Throwable cause = failure != null ? failure
                        : new IllegalStateException("the Sender returned although nobody closed it");
                // Marked dead first, so that application threads fail fast from here on.
                loop.markDead(cause);
                LOG.error("KAFKARA-ENG-001: [clientId={}] the sender loop stopped unexpectedly; pending records are "
                        + "failed and the engine refuses further use", pipeline.clientId(), cause);
                pipeline.abandonLoop();
            }
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-ENG-006: [clientId={}] cleaning up after the sender loop failed: {}",
                    pipeline.clientId(), e.toString());
        } finally {
            loop.end();
        }
    }
}
