package io.kafkara.tx;

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

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerIdentity;
import io.kafkara.engine.kafka.DoorAccess;

/**
 * What a JMX client sees of a definition's in-doubt branches: open types only, secrets scrubbed, the adapter's class
 * loader around each call.
 */
class InDoubtBranchesAdministrationTest {

    private final MockTime time = new MockTime();
    private final MBeanServer jmx = MBeanServerFactory.newMBeanServer();

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
            return DoorAccess.endTxnAnswer(Errors.NONE);
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
            Thread.currentThread().setContextClassLoader(InDoubtBranchesAdministrationTest.class.getClassLoader());
        }
    }
}
