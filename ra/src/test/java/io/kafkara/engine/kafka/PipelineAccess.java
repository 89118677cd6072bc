package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.internals.SenderSteps;
import org.apache.kafka.clients.producer.internals.TransactionManager;

/** Test-only access to a pipeline's internals: one step of its sender loop, its metadata, its transaction manager. */
public final class PipelineAccess {

    private PipelineAccess() {
    }

    /** One iteration of the real sender loop on the calling thread. */
    public static void runOnce(ProducerPipeline pipeline) {
        SenderSteps.runOnce(pipeline.sender());
    }

    /** Whether the pipeline's metadata waits for an update that was asked for. */
    public static boolean metadataUpdateRequested(ProducerPipeline pipeline) {
        return pipeline.metadata().updateRequested();
    }

    public static TransactionManager transactionManager(ProducerPipeline pipeline) {
        return pipeline.transactionManager();
    }
}
