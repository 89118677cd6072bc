package io.kafkara.it.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;
import javax.naming.InitialContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;

/**
 * The pool of a connection definition in WildFly, with max-pool-size 3 and a 500 ms blocking timeout: all its
 * connections share one engine; a fourth concurrent connection waits the blocking timeout and fails with a clear
 * error; a closed handle frees its connection without stopping the engine.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class PoolingIT {

    private static final String JNDI_NAME = "java:/kafka/Pooled";

    @Deployment
    static EnterpriseArchive pooled() {
        return SampleDeployment.withExtraDefinitions("""
                    <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                           jndi-name="java:/kafka/Pooled" pool-name="KafkaPooled">
                      <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
                      <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                      <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                      <pool>
                        <min-pool-size>1</min-pool-size>
                        <max-pool-size>3</max-pool-size>
                      </pool>
                      <timeout>
                        <blocking-timeout-millis>500</blocking-timeout-millis>
                      </timeout>
                    </connection-definition>
                """, PoolingIT.class);
    }

    @Test
    void threeConnectionsShareOneEngineAndAFourthFailsAfterTheBlockingTimeout() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(JNDI_NAME);
        String topic = "pooled-" + UUID.randomUUID();
        List<KafkaConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(factory.getConnection());
            }
            for (KafkaConnection connection : held) {
                RecordMetadata written = connection.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
                assertTrue(written.offset() >= 0, "acknowledged with an offset");
            }

            long start = System.nanoTime();
            KafkaResourceException exhausted = assertThrows(KafkaResourceException.class, factory::getConnection);
            long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertTrue(waitedMs >= 450 && waitedMs < 10_000, "waited the blocking timeout, not forever: " + waitedMs + " ms");
            assertTrue(exhausted.getMessage().contains("max-pool-size"), exhausted.getMessage());
            Set<ObjectName> engines = engines();
            assertEquals(1, engines.size(), "one engine serves the definition (the sample's is unused): " + engines);

            held.remove(0).close();
            try (KafkaConnection freed = factory.getConnection()) {
                assertTrue(freed.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS).offset() >= 0,
                        "a connection freed by close() serves the next caller through the same running engine");
            }
            assertEquals(engines, engines(), "closing handles never stopped or replaced the engine");
        } finally {
            held.forEach(KafkaConnection::close);
        }
    }

    @Test
    void aClosedHandleRefusesToSend() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(JNDI_NAME);
        KafkaConnection connection = factory.getConnection();
        connection.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> connection.send(new ProducerRecord<>("pooled-closed", "late")));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }

    private static Set<ObjectName> engines() throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=*"), null);
    }
}
