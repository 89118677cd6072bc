package io.kafkara.engine.kafka;

import java.util.List;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.producer.internals.SenderSteps;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

/**
 * Test-only access to the door's seams, for tests of the packages above it: a pipeline's sender loop, metadata and
 * transaction manager, answers, memory, a fake network.
 */
public final class DoorAccess {

    private DoorAccess() {
    }

    /** The coordinator's answer to an EndTxn, as a fake completer gives it. */
    public static EndTxnAnswer endTxnAnswer(Errors error) {
        return EndTxnAnswer.of(error);
    }

    public static long availableBytes(RecordMemory memory) {
        return memory.availableBytes();
    }

    public static long totalBytes(RecordMemory memory) {
        return memory.totalBytes();
    }

    /** A provisioner over a fake network client. */
    public static CompactedTopicProvisioner provisionerOver(KafkaClient network, List<Node> bootstrap, Time time,
                                                            long timeoutMs, long retryBackoffMs) {
        return CompactedTopicProvisioner.over(network, bootstrap, time, timeoutMs, retryBackoffMs);
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
