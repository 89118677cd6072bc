package io.kafkara.it.broker;

/**
 * One single-node cluster for every integration test of this JVM that needs a stock broker,
 * started on first use. Tests that change broker settings or kill nodes start their own
 * {@link KafkaCluster}.
 *
 * <pre>{@code
 * String bootstrapServers = SharedKafka.get().bootstrapServers();
 * }</pre>
 *
 * <p>Do not close it: it lives as long as the JVM, and the cluster's shutdown hook stops it at exit.
 */
public final class SharedKafka {

    private static KafkaCluster cluster;

    private SharedKafka() {
    }

    public static synchronized KafkaCluster get() {
        if (cluster == null) {
            // KafkaCluster registers a shutdown hook that kills its nodes when this JVM exits.
            cluster = KafkaCluster.start(1);
        }
        return cluster;
    }
}
