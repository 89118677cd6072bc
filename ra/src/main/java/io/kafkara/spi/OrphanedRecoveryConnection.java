package io.kafkara.spi;

import java.io.PrintWriter;
import java.util.List;

import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

/**
 * What a connection definition hands out once its adapter's classes are gone: WildFly keeps the XA recovery
 * registration of a definition whose deployment failed (for example because another definition of the adapter has
 * a config property IronJacamar does not know), and Narayana's recovery thread goes on asking it for connections
 * after the deployment's class loader was closed. Each such call would need classes that can no longer be loaded;
 * this connection needs none: it and everything it uses are loaded with the definition's class (see
 * {@link KafkaManagedConnectionFactory}) or come from the JDK and the Jakarta API. It tells recovery that it has no
 * in-doubt branch (the definition's branches are recovered by its next working deployment, through its own
 * registration) and refuses everything else, so the recovery thread keeps scanning the other resources quietly.
 */
final class OrphanedRecoveryConnection implements ManagedConnection, XAResource {

    /**
     * Resolved now, while the class loader works: once it is closed, a class this one names for the first time could
     * no longer be found, and the JVM remembers the classes a loader has resolved.
     */
    private static final List<Class<?>> NEEDED = List.of(XAException.class, Xid.class, ResourceException.class,
            NotSupportedException.class);

    private static final String GONE = "This Kafka connection definition belongs to a resource adapter deployment "
            + "that failed or was undeployed; redeploy the adapter (a server restart drops this leftover)";

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        throw new ResourceException(GONE);
    }

    @Override
    public XAResource getXAResource() {
        return this;
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException(GONE);
    }

    /** Null: IronJacamar then names the resource by its JNDI name. */
    @Override
    public ManagedConnectionMetaData getMetaData() {
        return null;
    }

    @Override
    public Xid[] recover(int flags) {
        return new Xid[0];
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        throw refused();
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        throw refused();
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        throw refused();
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        throw refused();
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        throw refused();
    }

    @Override
    public void forget(Xid xid) throws XAException {
        throw refused();
    }

    /** XAER_RMFAIL: the resource manager is unavailable here; recovery retries through a working registration. */
    private static XAException refused() {
        XAException refused = new XAException(GONE);
        refused.errorCode = XAException.XAER_RMFAIL;
        return refused;
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        throw new ResourceException(GONE);
    }

    @Override
    public void cleanup() {
        // Holds nothing.
    }

    @Override
    public void destroy() {
        // Holds nothing.
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        // Never raises an event.
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        // Never raised one.
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Nothing to log.
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }
}
