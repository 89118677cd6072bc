package io.kafkara.tx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.management.MBeanServer;

import org.apache.kafka.clients.consumer.Consumer;

import io.kafkara.engine.ProducerEngine;

/**
 * Test-only access to the transaction package's seams, for the tests of other packages and the integration tests
 * (in the test jar).
 */
public final class TxAccess {

    private TxAccess() {
    }

    public static BranchXid xid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        return BranchXid.of(formatId, globalTransactionId, branchQualifier);
    }

    /** An Xid as the in-doubt MBean prints it. */
    public static BranchXid parseXid(String text) {
        return XidText.parse(text);
    }

    /** The journal's record key of a branch. */
    public static byte[] key(BranchXid xid) {
        return xid.encode();
    }

    public static KafkaBranchJournal journal(ProducerEngine writer, String topic, Duration timeout,
                                             Supplier<Consumer<byte[], byte[]>> readers) {
        return new KafkaBranchJournal(writer, topic, timeout, readers);
    }

    public static TransactionalIdPool pool(String prefix, String node, int size) {
        return new TransactionalIdPool(prefix, node, size);
    }

    public static List<String> ids(TransactionalIdPool pool) {
        return pool.ids();
    }

    /** Completes branches at the transaction coordinator of this connection, as recovery does. */
    public static BranchCompleter coordinatorCompleter(Map<String, Object> connection, Duration timeout) {
        return new CoordinatorBranchCompleter(connection, timeout);
    }

    /** The transaction manager's recovery resource over these branches. */
    public static KafkaXAResource recoveryResource(BranchRecovery recovery, String clusterIdentity) {
        return KafkaXAResource.forRecovery(recovery, clusterIdentity);
    }

    public static void close(TransactionalEngineLease lease, Duration timeout) {
        lease.close(timeout);
    }

    public static int leasedCount(TransactionalIdPool pool) {
        return pool.leasedCount();
    }

    public static BranchRecovery recovery(BranchJournal journal, BranchCompleter completer,
                                          Predicate<String> ownsTransactionalId) {
        return new BranchRecovery(journal, completer, ownsTransactionalId);
    }

    public static TransactionalEngineLease lease(TransactionalIdPool pool, BranchRecovery recovery,
                                                 String clusterIdentity, TransactionalEngineLease.EngineStarter starter,
                                                 TransactionalEngineLease.Timing timing,
                                                 TransactionalEngineLease.LeftOpenAborter leftOpen) {
        return TransactionalEngineLease.open(pool, recovery, clusterIdentity, starter, timing, leftOpen);
    }

    /** The adapter's transactional definitions, with their MBeans in this server. */
    public static TransactionalDefinitions definitions(MBeanServer jmx) {
        return new TransactionalDefinitions(jmx);
    }

    /** pool::owns, for a recovery that completes only this pool's ids. */
    public static Predicate<String> owns(TransactionalIdPool pool) {
        return pool::owns;
    }
}
