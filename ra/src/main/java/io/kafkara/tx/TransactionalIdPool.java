package io.kafkara.tx;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    TransactionalIdPool(String prefix, String node, int size) {
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
            throw new IllegalArgumentException("No node name for the transactional ids: set the connection "
                    + "definition's transactionalIdNode (or start the server with the system property "
                    + NODE_NAME_PROPERTY + ", which only WildFly sets by itself: Open Liberty and Payara need "
                    + "transactionalIdNode); it must differ between the servers that share a Kafka cluster and stay "
                    + "the same across restarts");
        }
        return new TransactionalIdPool(prefix, name, size);
    }

    /**
     * A warning when the node part came from {@value #NODE_NAME_PROPERTY} and that is the host name (WildFly's
     * default): a container that gets a new host name at every start would get new transactional ids, and the
     * branches journaled under the old ones would no longer be recovered by this node. Empty otherwise.
     *
     * @param configuredNode the definition's transactionalIdNode, or null
     */
    public Optional<String> hostNameWarning(String configuredNode) {
        if (configuredNode != null && !configuredNode.isBlank()) {
            return Optional.empty();
        }
        String host = System.getProperty("jboss.host.name", System.getenv("HOSTNAME"));
        String qualified = System.getProperty("jboss.qualified.host.name");
        if (!node.equalsIgnoreCase(String.valueOf(host)) && !node.equalsIgnoreCase(String.valueOf(qualified))) {
            return Optional.empty();
        }
        return Optional.of("KAFKARA-TX-040: the transactional ids " + this + " take their node part '" + node
                + "' from " + NODE_NAME_PROPERTY + ", which is the host name (WildFly's default). A server that gets "
                + "another host name at its next start (a new container) gets other transactional ids, and the XA "
                + "branches journaled under these are then not recovered by it (the in-doubt MBean lists them as "
                + "another node's). Set the definition's transactionalIdNode, or start the server with -D"
                + NODE_NAME_PROPERTY + "=<name>, to a name that stays the same across restarts and differs between "
                + "the servers that share the Kafka cluster");
    }

    /**
     * Leases the lowest free id that is not blocked (an id with a branch in doubt must not be initialized: that
     * would abort the branch). Fails when every id is leased or blocked, naming {@value #POOL_SIZE_SETTING}.
     */
    synchronized String lease(Predicate<String> blocked) {
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
                + "doubt): raise " + POOL_SIZE_SETTING + " (now " + size + ") to at least the number of concurrent "
                + "transactions of this definition (its connection pool's max-pool-size bounds them), or resolve the in-doubt branches");
    }

    /**
     * Leases this very id if it is free: recovery holds an id this way while it looks at its Kafka transaction, so
     * that no engine initializes it meanwhile. False when it is leased or not one of this pool's ids.
     */
    synchronized boolean tryLease(String transactionalId) {
        int slot = slotOf(transactionalId);
        if (slot < 0 || leased.get(slot)) {
            return false;
        }
        leased.set(slot);
        return true;
    }

    /** Returns a leased id; returning an id twice or one of another pool is a bug and fails. */
    synchronized void release(String transactionalId) {
        int slot = slotOf(transactionalId);
        if (slot < 0 || !leased.get(slot)) {
            throw new IllegalStateException("Transactional id " + transactionalId + " is not leased from pool "
                    + prefix + "-" + node + "-*");
        }
        leased.clear(slot);
    }

    /** Whether the id is one of this pool's slots (leased or not). */
    boolean owns(String transactionalId) {
        return slotOf(transactionalId) >= 0;
    }

    /**
     * Whether the id is this node's, whatever the slot: recovery lists the branches of all of them, so a pool made
     * smaller after a crash still finds the branches of the slots it no longer has.
     */
    boolean isOfThisNode(String transactionalId) {
        return transactionalId != null && transactionalId.startsWith(idHead())
                && isSlotNumber(transactionalId.substring(idHead().length()));
    }

    /** Whether the id has this pool's prefix but another node's name: listed for operators, never recovered here. */
    boolean isOfOtherNode(String transactionalId) {
        return nodeOf(transactionalId) != null && !isOfThisNode(transactionalId);
    }

    /**
     * The node part of an id of this pool's prefix ({@code prefix-node-slot}), of any node; null for an id of
     * another prefix. Branches of other nodes are listed for operators, never recovered by this node.
     */
    String nodeOf(String transactionalId) {
        String head = prefix + "-";
        int lastDash = transactionalId == null ? -1 : transactionalId.lastIndexOf('-');
        if (lastDash <= head.length() || !transactionalId.startsWith(head)
                || !isSlotNumber(transactionalId.substring(lastDash + 1))) {
            return null;
        }
        return transactionalId.substring(head.length(), lastDash);
    }

    /** Every id of the pool, slot order. */
    List<String> ids() {
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

    /** A regular expression of every id of this node, whatever the slot (ListTransactions' pattern filter). */
    String idPattern() {
        return "^" + idHead().replace(".", "\\.") + "[0-9]+$";
    }

    /** What every id of this pool starts with: {@code prefix-node-}. */
    public String idHead() {
        return prefix + "-" + node + "-";
    }

    synchronized int leasedCount() {
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
        if (!isSlotNumber(slot)) {
            return -1;
        }
        int value = Integer.parseInt(slot);
        return value < size ? value : -1;
    }

    private static boolean isSlotNumber(String slot) {
        return slot.matches("0|[1-9][0-9]{0,8}");
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
