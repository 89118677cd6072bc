package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.ProducerIdentity;
import io.kafkara.engine.kafka.EndTxnAnswer;
import io.kafkara.tx.BranchJournal;
import io.kafkara.tx.BranchRecovery;
import io.kafkara.tx.BranchXid;
import io.kafkara.tx.InDoubtBranches;
import io.kafkara.tx.PreparedBranch;
import io.kafkara.tx.TransactionalDefinitions;

/**
 * The operations side of XA definitions in a fake container: transactional ids claimed once per adapter, the
 * in-doubt-branches MBean registered with the definition's transactions and gone when the adapter stops, and what a
 * JMX client sees of it (open types only, secrets scrubbed, the adapter's class loader around each call).
 */
class InDoubtBranchOperationsTest {

    private final MBeanServer jmx = MBeanServerFactory.newMBeanServer();
    private final MockTime time = new MockTime();
    private final KafkaResourceAdapter adapter = new KafkaResourceAdapter(
            (config, loader) -> ProducerEngine.create(config, loader), time, new TransactionalDefinitions(jmx));
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
                time, new TransactionalDefinitions(jmx));
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

    /** A journal of one prepared branch whose reads record the context class loader and may fail. */
    private static final class OneBranchJournal implements BranchJournal {
        final Map<BranchXid, PreparedBranch> branches = new LinkedHashMap<>();
        ClassLoader readWith;
        RuntimeException failure;

        @Override
        public void record(PreparedBranch branch) {
            branches.put(branch.xid(), branch);
        }

        @Override
        public void remove(BranchXid xid) {
            branches.remove(xid);
        }

        @Override
        public Collection<PreparedBranch> inDoubt() {
            readWith = Thread.currentThread().getContextClassLoader();
            if (failure != null) {
                throw failure;
            }
            return List.copyOf(branches.values());
        }
    }

    @Test
    void aJmxClientSeesOpenTypesCompletesByHandAndGetsScrubbedJdkExceptions() throws Exception {
        OneBranchJournal journal = new OneBranchJournal();
        BranchXid xid = BranchXid.of(131077, "gtrid".getBytes(StandardCharsets.UTF_8), new byte[] {1});
        journal.record(new PreparedBranch(xid, "orders-node1-0", new ProducerIdentity(42, (short) 5),
                time.milliseconds()));
        List<String> ended = new ArrayList<>();
        BranchRecovery recovery = new BranchRecovery(journal, (branch, commit) -> {
            ended.add(branch.transactionalId() + (commit ? " commit" : " abort"));
            return EndTxnAnswer.of(Errors.NONE);
        }, id -> id.startsWith("orders-node1-"));
        InDoubtBranches branches = new InDoubtBranches(recovery, "cluster", time::milliseconds, 60_000, "the MBean",
                text -> text.replace("s3cret", "[hidden]"));
        ObjectName name = new ObjectName("io.kafkara:type=InDoubtBranches,transactionalIdPrefix=orders,node=node1");
        jmx.registerMBean(new InDoubtBranchesAdministration(branches, text -> text.replace("s3cret", "[hidden]")),
                name);
        time.sleep(12_345);
        ClassLoader caller = new ClassLoader(null) { };
        Thread.currentThread().setContextClassLoader(caller);
        try {
            CompositeData[] listed = (CompositeData[]) jmx.getAttribute(name, "Branches");
            assertSame(InDoubtBranchesAdministration.class.getClassLoader(), journal.readWith, "the adapter's loader");
            assertSame(caller, Thread.currentThread().getContextClassLoader(), "and the caller's back afterwards");

            assertEquals(1, listed.length);
            assertEquals("Xid[131077:6774726964:01]", listed[0].get("xid"));
            assertEquals("orders-node1-0", listed[0].get("transactionalId"));
            assertEquals(42L, listed[0].get("producerId"));
            assertEquals((short) 5, listed[0].get("producerEpoch"));
            assertEquals(12_345L, listed[0].get("ageMs"));
            assertEquals(60_000L - 12_345L, listed[0].get("timeLeftMs"));
            assertEquals(false, listed[0].get("heldByLiveEngine"));
            assertEquals(1, jmx.getAttribute(name, "BranchCount"));
            assertEquals(12_345L, jmx.getAttribute(name, "OldestBranchAgeMs"));
            String[] summaries = (String[]) jmx.getAttribute(name, "BranchSummaries");
            assertTrue(summaries[0].startsWith("Xid[131077:6774726964:01] transactionalId=orders-node1-0"),
                    summaries[0]);

            RuntimeMBeanException notAnXid = assertThrows(RuntimeMBeanException.class, () -> jmx.invoke(name,
                    "commit", new Object[] {"42"}, new String[] {String.class.getName()}));
            assertInstanceOf(IllegalArgumentException.class, notAnXid.getCause());

            Object outcome = jmx.invoke(name, "commit", new Object[] {" Xid[131077:6774726964:01] "},
                    new String[] {String.class.getName()});
            assertTrue(String.valueOf(outcome).startsWith("Committed Xid[131077:6774726964:01]"), outcome.toString());
            assertEquals(List.of("orders-node1-0 commit"), ended);
            assertEquals(0, jmx.getAttribute(name, "BranchCount"));

            journal.failure = new KafkaException("journal unreadable with password s3cret");
            RuntimeMBeanException unreadable = assertThrows(RuntimeMBeanException.class,
                    () -> jmx.getAttribute(name, "BranchCount"));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, unreadable.getCause());
            assertEquals("KafkaException: journal unreadable with password [hidden]", cause.getMessage());
            assertNull(cause.getCause(), "no Kafka class travels to a JMX client");
            assertFalse(cause.getMessage().contains("s3cret"));
        } finally {
            Thread.currentThread().setContextClassLoader(InDoubtBranchOperationsTest.class.getClassLoader());
        }
    }
}
