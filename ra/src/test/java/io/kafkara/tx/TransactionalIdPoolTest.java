package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Transactional ids: a bounded, stable set per node, leased and returned, never a counter. */
class TransactionalIdPoolTest {

    @Test
    void leasesTheLowestFreeIdAndReusesReturnedOnes() {
        TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 3);
        List<String> leased = new ArrayList<>();
        leased.add(pool.lease(id -> false));
        leased.add(pool.lease(id -> false));
        pool.release("orders-node1-0");
        leased.add(pool.lease(id -> false));
        leased.add(pool.lease(id -> false));

        assertEquals(List.of("orders-node1-0", "orders-node1-1", "orders-node1-0", "orders-node1-2"), leased);
        assertEquals(3, pool.leasedCount());
    }

    @Test
    void exhaustionFailsNamingThePoolSizeSetting() {
        TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 2);
        pool.lease(id -> false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pool.lease("orders-node1-1"::equals));

        assertTrue(e.getMessage().contains("transactionalIdPoolSize") && e.getMessage().contains("(now 2)")
                && e.getMessage().contains("1 leased") && e.getMessage().contains("1 held by branches in doubt"),
                e.getMessage());
    }

    @Test
    void anIdWithABranchInDoubtIsSkipped() {
        TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 3);
        assertEquals("orders-node1-1", pool.lease("orders-node1-0"::equals));
    }

    @Test
    void aRestartedNodeGetsTheSameIds() {
        TransactionalIdPool before = new TransactionalIdPool("orders", "node1", 2);
        String first = before.lease(id -> false);
        TransactionalIdPool afterRestart = new TransactionalIdPool("orders", "node1", 2);

        assertEquals(first, afterRestart.lease(id -> false));
        assertEquals(before.ids(), afterRestart.ids());
        assertEquals(List.of("orders-node1-0", "orders-node1-1"), afterRestart.ids());
    }

    @Test
    void ownsOnlyItsOwnIds() {
        TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 2);
        assertTrue(pool.owns("orders-node1-1"));
        assertFalse(pool.owns("orders-node1-2"), "beyond the pool size");
        assertFalse(pool.owns("orders-node2-0"), "another node");
        assertFalse(pool.owns("orders-node1-01"));
        assertFalse(pool.owns("orders-node1-x"));
        assertThrows(IllegalStateException.class, () -> pool.release("orders-node1-0"), "not leased");
    }

    @Test
    void theNodeDefaultsToTheServersNodeNameAndIsRequired() {
        String previous = System.getProperty(TransactionalIdPool.NODE_NAME_PROPERTY);
        try {
            System.setProperty(TransactionalIdPool.NODE_NAME_PROPERTY, "wildfly-a");
            assertEquals("orders-wildfly-a-0", TransactionalIdPool.forThisNode("orders", null, 1).lease(id -> false));
            assertEquals("orders-n2-0", TransactionalIdPool.forThisNode("orders", "n2", 1).lease(id -> false));
            System.clearProperty(TransactionalIdPool.NODE_NAME_PROPERTY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TransactionalIdPool.forThisNode("orders", " ", 1));
            assertTrue(e.getMessage().contains("set the connection definition's transactionalIdNode")
                    && e.getMessage().contains("jboss.node.name"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(TransactionalIdPool.NODE_NAME_PROPERTY);
            } else {
                System.setProperty(TransactionalIdPool.NODE_NAME_PROPERTY, previous);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new TransactionalIdPool("orders", "node 1", 1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new TransactionalIdPool("orders", "node1", 0));
        assertTrue(zero.getMessage().contains("transactionalIdPoolSize"), zero.getMessage());
    }

    @Test
    void recoveryCanHoldOneGivenIdWhichEnginesThenSkip() {
        TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 3);

        assertTrue(pool.tryLease("orders-node1-0"));
        assertFalse(pool.tryLease("orders-node1-0"), "held already");
        assertFalse(pool.tryLease("orders-node1-3"), "not a slot of this pool");
        assertFalse(pool.tryLease("billing-node1-1"), "another pool's id");
        assertEquals("orders-node1-1", pool.lease(id -> false), "an engine gets the next free id");
        pool.release("orders-node1-0");
        assertEquals("orders-node1-0", pool.lease(id -> false));
        assertEquals("orders-node1-0..2", pool.toString());
    }

    @Test
    void recoveryOwnsEveryIdOfItsNodeWhateverTheSlotAndTellsOtherNodesApart() {
        TransactionalIdPool lowered = new TransactionalIdPool("orders", "node1", 1);

        assertTrue(lowered.isOfThisNode("orders-node1-0"));
        assertTrue(lowered.isOfThisNode("orders-node1-7"), "a slot of a larger pool before the restart");
        assertFalse(lowered.owns("orders-node1-7"), "but no engine leases it");
        assertFalse(lowered.isOfThisNode("orders-node2-0"));
        assertFalse(lowered.isOfThisNode("orders-node1-x"));
        assertEquals("node2", lowered.nodeOf("orders-node2-3"));
        assertEquals("a-1", lowered.nodeOf("orders-a-1-3"), "the slot is the last part, the node may hold dashes");
        assertEquals(null, lowered.nodeOf("billing-node1-0"), "another prefix");
        assertEquals(null, lowered.nodeOf("orders-node1-2pc-check"), "the probe's id is no branch's");
    }

    @Test
    void aNodeNameThatIsTheHostNameIsWarnedAboutUnlessTheDefinitionSetsIt() {
        String host = System.getProperty("jboss.host.name");
        System.setProperty("jboss.host.name", "c0ffee42");
        try {
            TransactionalIdPool fromHostName = new TransactionalIdPool("orders", "c0ffee42", 2);
            String warning = fromHostName.hostNameWarning(null).orElseThrow();
            assertTrue(warning.startsWith("KAFKARA-TX-040: the transactional ids orders-c0ffee42-0..1 take their node "
                    + "part 'c0ffee42' from jboss.node.name, which is the host name"), warning);
            assertTrue(warning.contains("transactionalIdNode"), warning);
            assertTrue(fromHostName.hostNameWarning("c0ffee42").isEmpty(), "set on purpose");
            assertTrue(new TransactionalIdPool("orders", "node1", 2).hostNameWarning(null).isEmpty());
        } finally {
            if (host == null) {
                System.clearProperty("jboss.host.name");
            } else {
                System.setProperty("jboss.host.name", host);
            }
        }
    }
}
