package io.kafkara.spi;

import java.util.List;

import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;

import io.kafkara.engine.ProducerEngine;

/**
 * An engine's sender loop as the container sees it: a Work that carries the engine's hints (long-running, since it
 * occupies its thread for the engine's whole life, and named after the Kafka client id).
 *
 * <p>It lets go of the engine when the loop returns: a WildFly pool thread keeps the task it was started for (often
 * a sender Work) reachable from its stack for its whole life (measured on WildFly 39, see src/docs/lifecycle.md),
 * so a finished Work must not pin the engine's buffers.
 */
final class SenderLoopWork implements Work, WorkContextProvider {

    private volatile Work loop;
    private final HintsContext hints;

    SenderLoopWork(ProducerEngine engine) {
        this.loop = engine.senderWork();
        this.hints = engine.workContext();
    }

    @Override
    public void run() {
        Work current = loop;
        if (current == null) {
            return;
        }
        try {
            current.run();
        } finally {
            loop = null;
        }
    }

    @Override
    public void release() {
        Work current = loop;
        if (current != null) {
            current.release();
        }
    }

    @Override
    public List<WorkContext> getWorkContexts() {
        return List.of(hints);
    }
}
