package io.kafkara.it.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Log4j 2 settings for the node JVMs: INFO to stdout, which the launcher appends to each node's
 * server.log. Without this Log4j 2 would print errors only. Kafka logs through SLF4J, so a binding
 * (log4j-slf4j-impl) must be on the broker classpath for any line to appear.
 */
final class BrokerLogging {

    private static final String CONFIG = """
            # Written by io.kafkara.it.broker.KafkaCluster
            rootLogger.level = INFO
            rootLogger.appenderRef.stdout.ref = STDOUT
            appender.stdout.type = Console
            appender.stdout.name = STDOUT
            appender.stdout.layout.type = PatternLayout
            appender.stdout.layout.pattern = [%d] %p %m (%c)%n
            """;

    private BrokerLogging() {
    }

    /** Writes the settings into the cluster directory and returns the JVM option that selects them. */
    static String write(Path clusterDirectory) throws IOException {
        Path file = clusterDirectory.resolve("log4j2.properties");
        Files.writeString(file, CONFIG);
        return "-Dlog4j2.configurationFile=" + file;
    }
}
