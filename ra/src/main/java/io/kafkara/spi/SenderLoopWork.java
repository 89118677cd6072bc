package io.kafkara.spi;

import java.util.List;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;

import io.kafkara.engine.ProducerEngine;

/**
 * An engine's sender loop as the container sees it: a Work that carries the engine's hints (long-running, since it
 * occupies its thread for the engine's whole life, and named after the Kafka client id).
 */
final class SenderLoopWork implements Work, WorkContextProvider {

    private final ProducerEngine engine;

    SenderLoopWork(ProducerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run() {
        engine.senderWork().run();
    }

    @Override
    public void release() {
        engine.senderWork().release();
    }

    @Override
    public List<WorkContext> getWorkContexts() {
        return List.of(engine.workContext());
    }
}
