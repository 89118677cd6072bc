package io.kafkara.it.pooling;

/**
 * The ironjacamar.xml connection definition of the pool tests and the benchmark: the broker of {@code ${kafka.bootstrap.servers}},
 * string serializers, a client id prefix, a pool of at most {@code maxPoolSize} connections and a blocking timeout,
 * plus the attributes and config properties a test adds.
 */
public final class DefinitionXml {

    private DefinitionXml() {
    }

    /** {@code name}: JNDI {@code java:/kafka/<name>}, pool {@code Kafka<name>}. */
    public static String of(String name, String clientIdPrefix, String attributes, String configProperties, int maxPoolSize,
                     long blockingTimeoutMs) {
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="java:/kafka/%1$s" pool-name="Kafka%1$s" %3$s>
                  <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="clientIdPrefix">%2$s</config-property>
                  %4$s
                  <pool>
                    <min-pool-size>1</min-pool-size>
                    <max-pool-size>%5$d</max-pool-size>
                  </pool>
                  <timeout><blocking-timeout-millis>%6$d</blocking-timeout-millis></timeout>
                </connection-definition>
                """.formatted(name, clientIdPrefix, attributes, configProperties, maxPoolSize, blockingTimeoutMs);
    }
}
