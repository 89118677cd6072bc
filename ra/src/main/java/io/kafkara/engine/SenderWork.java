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

    @Override
    public void release() {
        LOG.info("[clientId={}] The container released the sender Work: closing the loop after pending requests",
                pipeline.clientId());
        loop.markClosing();
        pipeline.initiateClose();
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
