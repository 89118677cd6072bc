package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.tx.InDoubtBranches;
import io.kafkara.tx.TxAccess;

/**
 * The operations side of XA definitions in a fake container: transactional ids claimed once per adapter, the
 * in-doubt-branches MBean registered with the definition's transactions and gone when the adapter stops (what a JMX
 * client sees of it: {@code tx.InDoubtBranchesAdministrationTest}).
 */
class InDoubtBranchOperationsTest {

    private final MBeanServer jmx = MBeanServerFactory.newMBeanServer();
    private final MockTime time = new MockTime();
    private final KafkaResourceAdapter adapter = new KafkaResourceAdapter(
            (config, loader) -> ProducerEngine.create(config, loader), time, TxAccess.definitions(jmx));
    private final List<KafkaResourceAdapter> started = new ArrayList<>(List.of(adapter));

    @AfterEach
    void stopAdapters() {
        started.forEach(KafkaResourceAdapter::stop);
    }

    private static KafkaManagedConnectionFactory definition(String level, String prefix, String node,
                                                            String clientIdPrefix) {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        factory.setBootstrapServers("127.0.0.1:9092");
        factory.setKeySerializer(StringSerializer.class.getName());
        factory.setValueSerializer(StringSerializer.class.getName());
        factory.setClientIdPrefix(clientIdPrefix);
        factory.setTransactionSupportLevel(level);
        factory.setTransactionalIdPrefix(prefix);
        factory.setTransactionalIdNode(node);
        factory.setBranchJournalTopic("branches");
        return factory;
    }

    @Test
    void aSecondDefinitionWithTheSameTransactionalIdsFailsActivationNamingBoth() throws Exception {
        adapter.start(new FakeContainer());
        KafkaManagedConnectionFactory orders = definition("XATransaction", "orders", "node1", "orders-xa");
        deploy(orders, adapter);
        deploy(orders, adapter);
        deploy(definition("LocalTransaction", "orders", "node2", "orders-local-2"), adapter);
        deploy(definition(null, "orders", "node1", "plain"), adapter);

        KafkaManagedConnectionFactory second = definition("LocalTransaction", "orders", "node1", "orders-local");
        deploy(second, adapter);
        ResourceException duplicate = assertThrows(ResourceException.class,
                () -> second.createManagedConnection(null, null), "the second one refuses connections; the first serves");
        assertEquals("The connection definition with clientIdPrefix=orders-local cannot serve connections: "
                + "Two connection definitions of this resource adapter would use the same transactional ids "
                + "orders-node1-<slot>: the connection definition with transactionalIdPrefix=orders, node node1, "
                + "transactionSupportLevel=XATransaction, clientIdPrefix=orders-xa, and the connection definition with "
                + "transactionalIdPrefix=orders, node node1, transactionSupportLevel=LocalTransaction, "
                + "clientIdPrefix=orders-local. Their engines would fence each other's transactions: give each "
                + "definition its own transactionalIdPrefix", duplicate.getMessage());

        adapter.stop();
        KafkaResourceAdapter redeployed = new KafkaResourceAdapter();
        started.add(redeployed);
        redeployed.start(new FakeContainer());
        KafkaManagedConnectionFactory afterRedeploy = definition("LocalTransaction", "orders", "node1", "orders-local");
        deploy(afterRedeploy, redeployed);
        assertEquals(null, afterRedeploy.activationFailure(), "the stopped adapter's claims are gone");
    }

    /**
     * As a container deploys a definition: associates it, then creates its connection factory (its first use, when
     * the definition judges its settings and claims its ids).
     */
    private static void deploy(KafkaManagedConnectionFactory definition, KafkaResourceAdapter adapter)
            throws ResourceException {
        definition.setResourceAdapter(adapter);
        definition.createConnectionFactory(null);
    }

    @Test
    void theMBeanComesWithTheDefinitionsTransactionsAndGoesWhenTheAdapterStops() throws Exception {
        adapter.start(new FakeContainer());
        KafkaManagedConnectionFactory xa = definition("XATransaction", "orders", "node1", "orders-xa");
        xa.setTransactionTimeoutMs("90000");
        xa.setResourceAdapter(adapter);
        KafkaManagedConnection connection = (KafkaManagedConnection) xa.createManagedConnection(null, null);
        ObjectName name = new ObjectName("io.kafkara:type=InDoubtBranches,transactionalIdPrefix=orders,node=node1");

        assertEquals(0, jmx.queryNames(new ObjectName("io.kafkara:*"), null).size(), "nothing before first use");
        connection.recoveryResource();
        assertEquals(List.of(name), List.copyOf(jmx.queryNames(new ObjectName("io.kafkara:*"), null)));
        assertEquals(90_000L, jmx.getAttribute(name, "TransactionTimeoutMs"));

        KafkaManagedConnectionFactory local = definition("LocalTransaction", "billing", "node1", "billing");
        local.setResourceAdapter(adapter);
        local.createManagedConnection(null, null);
        assertEquals(1, jmx.queryNames(new ObjectName("io.kafkara:*"), null).size(), "nothing is in doubt in 1PC");

        KafkaManagedConnectionFactory late = definition("XATransaction", "late", "node1", "late");
        late.setResourceAdapter(adapter);
        KafkaManagedConnection lateConnection = (KafkaManagedConnection) late.createManagedConnection(null, null);
        adapter.stop();
        assertEquals(0, jmx.queryNames(new ObjectName("io.kafkara:*"), null).size(), "unregistered at stop");

        ResourceException afterStop = assertThrows(ResourceException.class, lateConnection::recoveryResource);
        assertTrue(afterStop.getMessage().startsWith("The Kafka resource adapter is stopped"), afterStop.getMessage());
        assertEquals(0, jmx.queryNames(new ObjectName("io.kafkara:*"), null).size(),
                "a recovery scan racing the undeploy leaves no MBean behind");
    }

    @Test
    void anotherAdapterDeploymentWithTheSameIdsIsRefusedAtItsFirstTransactionalUse() throws Exception {
        adapter.start(new FakeContainer());
        KafkaResourceAdapter other = new KafkaResourceAdapter((config, loader) -> ProducerEngine.create(config, loader),
                time, TxAccess.definitions(jmx));
        started.add(other);
        other.start(new FakeContainer());
        KafkaManagedConnectionFactory first = definition("XATransaction", "orders", "node1", "a");
        first.setResourceAdapter(adapter);
        ((KafkaManagedConnection) first.createManagedConnection(null, null)).recoveryResource();
        KafkaManagedConnectionFactory second = definition("XATransaction", "orders", "node1", "b");
        second.setResourceAdapter(other);

        ResourceException refused = assertThrows(ResourceException.class,
                () -> ((KafkaManagedConnection) second.createManagedConnection(null, null)).recoveryResource());

        assertTrue(refused.getMessage().startsWith("The MBean io.kafkara:type=InDoubtBranches,transactionalIdPrefix="
                + "orders,node=node1 is registered already: another resource adapter deployment of this server uses "
                + "the same transactional ids"), refused.getMessage());
    }
}
