package io.kafkara.tx;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The transactional ids of one node: a bounded, stable set {@code prefix-node-slot}, slot 0..size-1, leased to
 * transactional engines and returned. The same node always gets the same ids, so a restarted node fences its own
 * zombies (initTransactions on an id bumps its epoch) and the coordinator's state does not grow with traffic. The
 * lowest free slot is leased first, so a quiet node reuses few ids. Thread-safe.
 */
public final class TransactionalIdPool {

    /** The system property that names the node by default (WildFly sets it). */
    public static final String NODE_NAME_PROPERTY = "jboss.node.name";
    /** The setting that sizes the pool: named in the error when the pool is exhausted. */
    public static final String POOL_SIZE_SETTING = "transactionalIdPoolSize";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    private final String prefix;
    private final String node;
    private final int size;
    private final BitSet leased = new BitSet();

    public TransactionalIdPool(String prefix, String node, int size) {
        this.prefix = requireSafe("transactional id prefix", prefix);
        this.node = requireSafe("node name", node);
        if (size < 1) {
            throw new IllegalArgumentException(POOL_SIZE_SETTING + " must be at least 1, was " + size);
        }
        this.size = size;
    }

    /** A pool for this server's node: the given node name, else the system property {@value #NODE_NAME_PROPERTY}. */
    public static TransactionalIdPool forThisNode(String prefix, String node, int size) {
        String name = node != null && !node.isBlank() ? node : System.getProperty(NODE_NAME_PROPERTY);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("No node name for the transactional ids: set the node name of the "
                    + "connection definition or the system property " + NODE_NAME_PROPERTY + "; it must differ "
                    + "between the servers that share a Kafka cluster and stay the same across restarts");
        }
        return new TransactionalIdPool(prefix, name, size);
    }

    /**
     * Leases the lowest free id that is not blocked (an id with a branch in doubt must not be initialized: that
     * would abort the branch). Fails when every id is leased or blocked, naming {@value #POOL_SIZE_SETTING}.
     */
    public synchronized String lease(Predicate<String> blocked) {
        int blockedCount = 0;
        for (int slot = leased.nextClearBit(0); slot < size; slot = leased.nextClearBit(slot + 1)) {
            String id = idOf(slot);
            if (blocked.test(id)) {
                blockedCount++;
                continue;
            }
            leased.set(slot);
            return id;
        }
        throw new IllegalStateException("All " + size + " transactional ids of " + prefix + "-" + node + "-* are in "
                + "use (" + leased.cardinality() + " leased by engines, " + blockedCount + " held by branches in "
                + "doubt): raise " + POOL_SIZE_SETTING + " (now " + size + ") to at least the connection pool's "
                + "max-pool-size, or resolve the in-doubt branches");
    }

    /**
     * Leases this very id if it is free: recovery holds an id this way while it looks at its Kafka transaction, so
     * that no engine initializes it meanwhile. False when it is leased or not one of this pool's ids.
     */
    public synchronized boolean tryLease(String transactionalId) {
        int slot = slotOf(transactionalId);
        if (slot < 0 || leased.get(slot)) {
            return false;
        }
        leased.set(slot);
        return true;
    }

    /** Returns a leased id; returning an id twice or one of another pool is a bug and fails. */
    public synchronized void release(String transactionalId) {
        int slot = slotOf(transactionalId);
        if (slot < 0 || !leased.get(slot)) {
            throw new IllegalStateException("Transactional id " + transactionalId + " is not leased from pool "
                    + prefix + "-" + node + "-*");
        }
        leased.clear(slot);
    }

    /** Whether the id is one of this pool's (leased or not): recovery lists only these. */
    public boolean owns(String transactionalId) {
        return slotOf(transactionalId) >= 0;
    }

    /** Every id of the pool, slot order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(size);
        for (int slot = 0; slot < size; slot++) {
            ids.add(idOf(slot));
        }
        return ids;
    }

    /** The node part of the ids: the configured node name, else the system property's. */
    public String node() {
        return node;
    }

    /** What every id of this pool starts with: {@code prefix-node-}. */
    public String idHead() {
        return prefix + "-" + node + "-";
    }

    public synchronized int leasedCount() {
        return leased.cardinality();
    }

    /** The ids it holds, as a range: {@code prefix-node-0..size-1}. */
    @Override
    public String toString() {
        return prefix + "-" + node + "-0.." + (size - 1);
    }

    private String idOf(int slot) {
        return prefix + "-" + node + "-" + slot;
    }

    private int slotOf(String transactionalId) {
        String head = prefix + "-" + node + "-";
        if (transactionalId == null || !transactionalId.startsWith(head)) {
            return -1;
        }
        String slot = transactionalId.substring(head.length());
        if (!slot.matches("0|[1-9][0-9]{0,8}")) {
            return -1;
        }
        int value = Integer.parseInt(slot);
        return value < size ? value : -1;
    }

    private static String requireSafe(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("The " + what + " '" + value + "' may only contain letters, digits, "
                    + "'.', '_' and '-'");
        }
        return value;
    }
}
