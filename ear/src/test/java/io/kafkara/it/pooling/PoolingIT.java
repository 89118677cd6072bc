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
 * connections share one engine; a closed handle frees its connection without stopping the engine. With the default
 * {@code sharable="true"}, a fourth concurrent connection takes the pooled connection of an idle open handle (JCA lazy
 * association), which gets one again at its next call; with {@code sharable="false"} (no lazy association) a fourth
 * waits the blocking timeout and fails with a clear error.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class PoolingIT {

    private static final String JNDI_NAME = "java:/kafka/Pooled";
    private static final String UNSHARABLE_JNDI_NAME = "java:/kafka/PooledUnsharable";

    @Deployment
    static EnterpriseArchive pooled() {
        return SampleDeployment.withExtraDefinitions(DefinitionXml.of("Pooled", "kafka-pooled", "", "", 3, 500)
                + DefinitionXml.of("PooledUnsharable", "kafka-pooled-unsharable", "sharable=\"false\"", "", 3, 500),
                PoolingIT.class, DefinitionXml.class);
    }

    @Test
    void aFourthConnectionTakesThePooledConnectionOfAnIdleHandleWhichGetsOneAgain() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(JNDI_NAME);
        String topic = "pooled-shared-" + UUID.randomUUID();
        List<KafkaConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(factory.getConnection());
            }

            long start = System.nanoTime();
            held.add(factory.getConnection());
            long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertTrue(waitedMs < 450, "the fourth connection did not wait for the blocking timeout: " + waitedMs + " ms");
            for (KafkaConnection connection : held) {
                RecordMetadata written = connection.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
                assertTrue(written.offset() >= 0, "every open handle sends, the one that lent its connection too");
            }
            assertEquals(1, engines("kafka-pooled-?").size(), "one engine serves the definition");
        } finally {
            held.forEach(KafkaConnection::close);
        }
    }

    @Test
    void withoutLazyAssociationThreeConnectionsShareOneEngineAndAFourthFailsAfterTheBlockingTimeout() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(UNSHARABLE_JNDI_NAME);
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
            Set<ObjectName> engines = engines("kafka-pooled-unsharable-?");
            assertEquals(1, engines.size(), "one engine serves the definition: " + engines);

            held.remove(0).close();
            try (KafkaConnection freed = factory.getConnection()) {
                assertTrue(freed.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS).offset() >= 0,
                        "a connection freed by close() serves the next caller through the same running engine");
            }
            assertEquals(engines, engines("kafka-pooled-unsharable-?"),
                    "closing handles never stopped or replaced the engine");
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

    private static Set<ObjectName> engines(String clientIds) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientIds), null);
    }
}
