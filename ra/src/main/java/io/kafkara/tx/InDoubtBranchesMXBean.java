package io.kafkara.tx;

import java.util.List;

/**
 * The in-doubt XA branches of one connection definition, for operators (JMX: jconsole, the WildFly CLI's JMX, any
 * monitoring agent). Registered as {@code io.kafkara:type=InDoubtBranches,transactionalIdPrefix=<prefix>,node=<node>}
 * when the definition's transactions first start, unregistered when the adapter stops.
 *
 * <pre>{@code
 * ObjectName name = new ObjectName("io.kafkara:type=InDoubtBranches,transactionalIdPrefix=orders,node=node1");
 * String[] branches = (String[]) jmx.getAttribute(name, "BranchSummaries");
 * String outcome = (String) jmx.invoke(name, "commit", new Object[] {"Xid[131077:0a1b:2c3d]"},
 *         new String[] {String.class.getName()});
 * }</pre>
 */
public interface InDoubtBranchesMXBean {

    /** The JMX domain of the adapter's own MBeans. */
    String DOMAIN = "io.kafkara";
    /** The type key of this MBean's name. */
    String TYPE = "InDoubtBranches";

    /** Prepared, journaled, not completed branches of this definition (what recover() reports), oldest first. */
    List<InDoubtBranchInfo> getBranches();

    /** The same branches, one readable line each. */
    String[] getBranchSummaries();

    int getBranchCount();

    /** Age of the oldest in-doubt branch, 0 when there is none: a number to alert on. */
    long getOldestBranchAgeMs();

    /** The definition's transaction.timeout.ms: on a stock broker, a prepared branch is aborted after it. */
    long getTransactionTimeoutMs();

    /**
     * Commits an in-doubt branch by hand (Xid as listed, e.g. {@code Xid[131077:0a1b:2c3d]}); returns what happened,
     * a heuristic outcome included. Afterwards the transaction manager no longer sees the branch.
     */
    String commit(String xid);

    /** Rolls an in-doubt branch back by hand; as {@link #commit(String)}. */
    String rollback(String xid);
}
