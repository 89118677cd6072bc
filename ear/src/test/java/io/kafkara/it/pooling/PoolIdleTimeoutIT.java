package io.kafkara.it.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;
import javax.naming.InitialContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.admin.StandaloneAdapter;

/**
 * The pool's idle timeout in WildFly: with idle-timeout-minutes 1, min-pool-size 1 and prefill (a definition of the
 * standalone kafka-ra.rar in the server's configuration, see {@link IdlePoolSetup}), connections that were taken and
 * closed are destroyed by IronJacamar's idle remover, the pool goes back to its minimum (one
 * connection), and the definition's shared engine, which outlives its pooled connections, keeps sending.
 *
 * <p>The wait is IronJacamar's and cannot be shortened: its idle remover wakes every half idle timeout (30 s), a
 * pool checks at most once a minute, and a connection counts as idle a full minute after it was returned, so removal
 * comes 60 to 120 s after the close (111 and 115 s in our runs). The timeout is in whole minutes and no system
 * property changes these periods.
 * Ordered: enable statistics, use and close connections, wait for the removal, send again.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, IdlePoolSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolIdleTimeoutIT {

    private static final String TOPIC = "idle-pool";
    private static final int TAKEN = IdlePoolSetup.MAX_POOL_SIZE;
    /** The latest removal (120 s after the close) plus slack for a loaded machine. */
    private static final Duration REMOVAL_LIMIT = Duration.ofSeconds(240);

    @ArquillianResource
    private ManagementClient management;

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Deployment(name = "application", order = 2)
    static WebArchive application() {
        return StandaloneAdapter.application("pool-idle-it", PoolIdleTimeoutIT.class);
    }

    @Test
    @Order(1)
    @RunAsClient
    @OperateOnDeployment("application")
    void prefillMadeTheMinimumAtDeployment() throws Exception {
        PoolStatistics pool = new PoolStatistics(management, IdlePoolSetup.DEFINITION);
        pool.enable();
        pool.await(now -> now.get("ActiveCount").asInt() == 1, Duration.ofSeconds(30),
                "prefill made min-pool-size (1) connections");
    }

    @Test
    @Order(2)
    @OperateOnDeployment("application")
    void connectionsTakenSentWithAndClosedShareOneEngine() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(IdlePoolSetup.JNDI_NAME);
        List<KafkaConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < TAKEN; i++) {
                held.add(factory.getConnection());
            }
            for (KafkaConnection connection : held) {
                assertTrue(connection.send(new ProducerRecord<>(TOPIC, "k", "before")).get(30, TimeUnit.SECONDS).offset() >= 0);
            }
        } finally {
            held.forEach(KafkaConnection::close);
        }
        assertEquals(1, engines().size(), "the definition's connections share one engine: " + engines());
    }

    @Test
    @Order(3)
    @RunAsClient
    @OperateOnDeployment("application")
    void theIdleRemoverDestroysTheIdleConnectionsAndKeepsTheMinimum() throws Exception {
        PoolStatistics pool = new PoolStatistics(management, IdlePoolSetup.DEFINITION);
        System.out.println("PoolIdleTimeoutIT: after the close: " + pool.summary());
        assertEquals(TAKEN, pool.read().get("ActiveCount").asInt(), "all connections are pooled after the close: "
                + pool.summary());
        long start = System.nanoTime();
        // At least the connections above the minimum time out, and the pool holds exactly the minimum again.
        ModelNode removed = pool.await(now -> now.get("TimedOut").asInt() >= TAKEN - 1 && now.get("ActiveCount").asInt() == 1,
                REMOVAL_LIMIT, "idle connections removed and the pool back at min-pool-size 1");
        System.out.printf("PoolIdleTimeoutIT: idle connections removed %d s after the close: %s%n",
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), pool.summary());
        assertEquals(0, removed.get("InUseCount").asInt(), pool.summary());
        assertTrue(removed.get("DestroyedCount").asInt() >= TAKEN - 1, "destroyed, not just counted: " + pool.summary());
    }

    @Test
    @Order(4)
    @OperateOnDeployment("application")
    void theSharedEngineKeepsSendingAfterTheIdleRemoval() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(IdlePoolSetup.JNDI_NAME);
        try (KafkaConnection connection = factory.getConnection()) {
            assertTrue(connection.send(new ProducerRecord<>(TOPIC, "k", "after")).get(30, TimeUnit.SECONDS).offset() >= 0,
                    "a connection from the pool after the idle removal sends");
        }
        Set<ObjectName> engines = engines();
        assertEquals(1, engines.size(), "still one engine for the definition: " + engines);
        double sent = ((Number) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(engines.iterator().next(), "record-send-total")).doubleValue();
        assertTrue(sent >= TAKEN + 1, "the engine that sent before the removal sent this record too (a new engine would "
                + "count 1): record-send-total " + sent);
    }

    private static Set<ObjectName> engines() throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=" + IdlePoolSetup.CLIENT_ID_PREFIX
                        + "-*"), null);
    }
}
