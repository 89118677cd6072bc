package io.kafkara.spi;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.ResourceException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.ContextClassLoader;
import io.kafkara.tx.KafkaXAResource;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.XaErrors;

/**
 * The XAResource of one managed connection: the same instance every time the container asks. A branch's start
 * borrows a transactional engine of the definition's set, its completion (commit, rollback, a read-only prepare)
 * gives it back, so a connection the transaction manager creates only to recover (Narayana's periodic recovery)
 * never starts an engine nor leases an id; recover, and the completion of branches no live engine holds, run on a
 * resource without engine. Nothing but an XAException leaves it: an Error
 * escaping the recovery path kills the transaction manager's recovery thread.
 */
final class ConnectionXAResource implements XAResource {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionXAResource.class);

    private final KafkaManagedConnection connection;
    private KafkaXAResource recoveryOnly;

    ConnectionXAResource(KafkaManagedConnection connection) {
        this.connection = connection;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        XAResource target;
        try {
            target = flags == TMNOFLAGS ? connection.transactionalLease().xaResource() : engineResource("start");
        } catch (ResourceException | RuntimeException | Error e) {
            throw failure("start", e);
        }
        try {
            target.start(xid, flags);
        } finally {
            if (flags == TMNOFLAGS) {
                connection.transactionCallEnded();
            }
        }
        if (flags == TMNOFLAGS) {
            connection.transactionBegins();
        }
        connection.checkInDoubtBranches(true);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        try {
            if (flags == TMFAIL) {
                connection.transactionRollingBack();
            }
            engineResource("end").end(xid, flags);
        } catch (RuntimeException | Error e) {
            throw failure("end", e);
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        try {
            return engineResource("prepare").prepare(xid);
        } catch (RuntimeException | Error e) {
            throw failure("prepare", e);
        } finally {
            connection.transactionCallEnded();
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            onRecoveryPath("commit", () -> {
                anyResource().commit(xid, onePhase);
                return null;
            });
        } finally {
            connection.transactionCallEnded();
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        connection.transactionRollingBack();
        try {
            onRecoveryPath("rollback", () -> {
                anyResource().rollback(xid);
                return null;
            });
        } finally {
            connection.transactionCallEnded();
        }
    }

    @Override
    public void forget(Xid xid) throws XAException {
        onRecoveryPath("forget", () -> {
            anyResource().forget(xid);
            return null;
        });
    }

    @Override
    public Xid[] recover(int flags) throws XAException {
        Xid[] found = onRecoveryPath("recover", () -> scanResource(flags).recover(flags));
        if ((flags & TMSTARTRSCAN) != 0) {
            onRecoveryPath("recover", () -> {
                connection.checkInDoubtBranches(false);
                return null;
            });
        }
        return found;
    }

    /**
     * Each scan starts on a fresh recovery resource: taking one is when the definition retries repairs a crash left
     * pending (the orphan sweep), and IronJacamar may keep this connection for every scan.
     */
    private synchronized KafkaXAResource scanResource(int flags) throws XAException {
        if ((flags & TMSTARTRSCAN) != 0) {
            recoveryOnly = null;
        }
        return recoveryResource();
    }

    /**
     * Runs a call with the adapter's class loader as the context class loader: Narayana's recovery thread has its
     * own, which cannot see Kafka's classes (Kafka's config classes load their defaults through it), and turns any
     * RuntimeException or Error into an XAException, so none reaches the recovery thread.
     */
    private static <T> T onRecoveryPath(String call, ContextClassLoader.Call<T, XAException> work)
            throws XAException {
        try {
            return ContextClassLoader.with(ConnectionXAResource.class.getClassLoader(), work);
        } catch (RuntimeException | Error e) {
            throw failure(call, e);
        }
    }

    /** Same resource manager only for the same transactional engine (a Kafka transaction has one producer). */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (other == this) {
            return true;
        }
        TransactionalEngineLease mine = connection.currentLease();
        TransactionalEngineLease theirs = other instanceof ConnectionXAResource that ? that.connection.currentLease()
                : null;
        return mine != null && theirs != null && mine.xaResource().isSameRM(theirs.xaResource());
    }

    @Override
    public int getTransactionTimeout() {
        return connection.transactionTimeoutSeconds();
    }

    /**
     * Kafka fixes transaction.timeout.ms per producer when it initializes: true when the JTA timeout fits in it (the
     * engine's resource decides and warns otherwise), false before this connection has an engine.
     */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        TransactionalEngineLease lease = connection.currentLease();
        if (lease == null) {
            if (seconds < 0) {
                throw XaErrors.xa(XAException.XAER_INVAL, "setTransactionTimeout: negative timeout " + seconds);
            }
            return seconds <= connection.transactionTimeoutSeconds();
        }
        return lease.xaResource().setTransactionTimeout(seconds);
    }

    private XAResource engineResource(String call) throws XAException {
        TransactionalEngineLease lease = connection.currentLease();
        if (lease == null) {
            throw XaErrors.xa(XAException.XAER_PROTO, call + ": no branch was started on this Kafka connection");
        }
        return lease.xaResource();
    }

    /** The engine's resource when there is one (it also completes branches of other engines), else recovery's. */
    private XAResource anyResource() throws XAException {
        TransactionalEngineLease lease = connection.currentLease();
        return lease != null ? lease.xaResource() : recoveryResource();
    }

    private synchronized KafkaXAResource recoveryResource() throws XAException {
        if (recoveryOnly == null) {
            try {
                recoveryOnly = connection.recoveryResource();
            } catch (ResourceException | RuntimeException e) {
                throw failure("recover", e);
            }
        }
        return recoveryOnly;
    }

    private static XAException failure(String call, Throwable cause) {
        LOG.warn("KAFKARA-TX-007: {} failed: {}", call, cause.toString());
        return XaErrors.xa(XAException.XAER_RMFAIL, call, cause);
    }
}
