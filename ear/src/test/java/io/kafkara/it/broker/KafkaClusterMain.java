package io.kafkara.it.broker;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaCluster} until this JVM is stopped (Ctrl-C). Prints {@code bootstrap.servers}, the
 * cluster directory and each node's pid on stdout.
 *
 * <pre>{@code
 * java -Dkafka.test.classpath.file=ear/target/test-classpath.txt -cp <that classpath>:ear/target/test-classes \
 *     io.kafkara.it.broker.KafkaClusterMain 1 transaction.two.phase.commit.enable=true
 * }</pre>
 */
public final class KafkaClusterMain {

    private KafkaClusterMain() {
    }

    /** Arguments: the number of brokers (1 or 3, default 1), then any {@code key=value} broker properties. */
    public static void main(String[] args) throws InterruptedException {
        KafkaClusterBuilder builder = KafkaCluster.builder().brokers(args.length > 0 ? Integer.parseInt(args[0]) : 1);
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("Expected key=value after the broker count, got: " + args[i]);
            }
            builder.brokerProperty(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        // Not closed here: the cluster's shutdown hook stops the nodes when this JVM ends.
        KafkaCluster cluster = builder.start();
        System.out.println("bootstrap.servers=" + cluster.bootstrapServers());
        System.out.println("directory=" + cluster.directory());
        for (int node = 0; node < cluster.size(); node++) {
            System.out.println("node " + node + " pid " + cluster.pid(node));
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
