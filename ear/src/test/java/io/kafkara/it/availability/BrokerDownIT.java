package io.kafkara.it.availability;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;

/**
 * The sample EAR deployed while its broker is down: the deploy succeeds, a send fails after max.block.ms with
 * Kafka's timeout naming the topic and the limit, and once the broker is back the same deployment sends again.
 * One story in three ordered steps: two in the server, the broker restart in the test JVM that owns the broker.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, StoppedBrokerSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerDownIT {

    /** A definition that waits 3 s for metadata (Kafka's default is a minute), bound next to the sample's. */
    private static final String FACTORY = "java:/kafka/FailFast";
    private static final long MAX_BLOCK_MS = 3_000;
    /** Scheduling slack on a shared 2-core machine; the wait itself is Kafka's. */
    private static final long SLACK_MS = 10_000;
    /** After a restart the client reconnects with backoff (at most reconnect.backoff.max.ms, 1 s by default). */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    /** In the server: the factory the first step used, to show the last one uses the same deployment's. */
    private static KafkaConnectionFactory factoryWhileDown;

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withExtraDefinitions("""
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="java:/kafka/FailFast" pool-name="KafkaFailFast">
                  <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="maxBlockMs">%d</config-property>
                </connection-definition>
                """.formatted(MAX_BLOCK_MS), BrokerDownIT.class);
    }

    @Test
    @Order(1)
    void withTheBrokerDownTheEarDeploysAndASendFailsAfterMaxBlockMsNamingTopicAndLimit() throws Exception {
        factoryWhileDown = (KafkaConnectionFactory) new InitialContext().lookup(FACTORY);
        String topic = "down-" + UUID.randomUUID();

        long start = System.nanoTime();
        ExecutionException failed;
        try (KafkaConnection kafka = factoryWhileDown.getConnection()) {
            Future<RecordMetadata> ack = kafka.send(new ProducerRecord<>(topic, "order-1", "created"));
            failed = assertThrows(ExecutionException.class, () -> ack.get(MAX_BLOCK_MS + SLACK_MS, TimeUnit.MILLISECONDS));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("BrokerDownIT: send to a stopped broker failed after %d ms (max.block.ms %d): %s%n",
                elapsedMs, MAX_BLOCK_MS, failed.getCause());
        TimeoutException timeout = assertInstanceOf(TimeoutException.class, failed.getCause());
        String message = timeout.getMessage();
        assertTrue(message.contains(topic) && message.contains(MAX_BLOCK_MS + " ms") && message.contains("max.block.ms"),
                "the error names the topic, the limit and the setting: " + message);
        assertTrue(elapsedMs >= MAX_BLOCK_MS - 100 && elapsedMs < MAX_BLOCK_MS + SLACK_MS,
                "the send gave up after max.block.ms (" + MAX_BLOCK_MS + " ms), not after " + elapsedMs + " ms");
    }

    @Test
    @Order(2)
    @RunAsClient
    void theBrokerComesBack() {
        long start = System.nanoTime();
        StoppedBrokerSetup.restartBroker();
        System.out.printf("BrokerDownIT: broker restarted in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    @Order(3)
    void onceTheBrokerIsBackTheSameDeploymentSendsAgain() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(FACTORY);
        assertSame(factoryWhileDown, factory, "still the factory of the deployment that saw the broker down");
        String topic = "back-" + UUID.randomUUID();

        long start = System.nanoTime();
        long deadline = start + RECOVERY_LIMIT.toNanos();
        int attempts = 0;
        RecordMetadata written = null;
        Throwable lastFailure = null;
        while (written == null && System.nanoTime() < deadline) {
            attempts++;
            try (KafkaConnection kafka = factory.getConnection()) {
                written = kafka.send(new ProducerRecord<>(topic, "order-2", "created"))
                        .get(RECOVERY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                lastFailure = e.getCause();
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("BrokerDownIT: first successful send after the restart took %d ms, %d attempt(s)%n",
                elapsedMs, attempts);
        assertNotNull(written, "no send succeeded within " + RECOVERY_LIMIT + " of the broker's restart after "
                + attempts + " attempt(s); last failure: " + lastFailure);
        assertTrue(written.offset() >= 0, "the broker acknowledged the record at an offset: " + written);
    }
}
