package io.kafkara.spi;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.DissociatableManagedConnection;
import jakarta.resource.spi.LazyEnlistableConnectionManager;
import jakarta.resource.spi.LazyEnlistableManagedConnection;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.api.KafkaResourceException;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.tx.DefinitionTransactions;
import io.kafkara.tx.EngineTurn;
import io.kafkara.tx.InDoubtBranches;
import io.kafkara.tx.KafkaXAResource;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.TxState;

/**
 * A pooled connection: a view on its definition's shared engine. The container pools these; applications only
 * ever see the thin {@link KafkaConnectionImpl} handles it creates.
 *
 * <p>Of a transactional definition, a connection borrows a transactional engine from its definition's set when the
 * container begins a local transaction or starts an XA branch on it, and gives it back when the transaction completes
 * (a prepared branch keeps it until commit or rollback): the definition runs as many transactional engines as it has
 * concurrent transactions. Sends go to that engine while a transaction is active on the connection, to the shared
 * (idempotent) engine otherwise.
 *
 * <p>The container may take it back from handles that are not closed (JCA lazy association, src/docs/connections.md,
 * "Handles and the pool"), so a handle the application lost does not hold it for ever.
 */
final class KafkaManagedConnection implements ManagedConnection, LazyEnlistableManagedConnection,
        DissociatableManagedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaManagedConnection.class);

    private final KafkaManagedConnectionFactory factory;
    private final ConnectionCredential credential;
    private final SharedEngineSource sharedEngines;
    /** The route of every call to the shared engine, once it has one: one object, not one per send. */
    private volatile SendRoute sharedRoute;
    private final OpenHandles handles = new OpenHandles();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final DefinitionTransactions transactions;
    private final ConnectionXAResource xaResource = new ConnectionXAResource(this);
    private final ConnectionLocalTransaction localTransaction = new ConnectionLocalTransaction(this);
    /** The transactional engine borrowed for the current transaction, null between transactions. */
    private volatile EngineTurn turn;
    /**
     * Why this connection last got no transactional engine, until it gets one: IronJacamar's enlistment error
     * (IJ000469) drops the XAException of our start(), so a refused send names the reason from here.
     */
    private volatile ResourceException lastBorrowFailure;
    private final Enlistment enlistment;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    /** The definition's shared engine, started on demand. */
    @FunctionalInterface
    interface SharedEngineSource {
        ProducerEngine get() throws ResourceException;
    }

    KafkaManagedConnection(KafkaManagedConnectionFactory factory, ConnectionCredential credential, ProducerEngine engine) {
        this(factory, credential, () -> engine, null);
        this.sharedRoute = new SendRoute(engine, null);
    }

    /**
     * A connection of a transactional definition takes the shared engine when a handle first needs it: the
     * transaction manager's recovery creates connections (and a handle, for its validity check) only to call
     * recover(), and those must start nothing. A bad class name in its settings therefore fails the first send.
     *
     * @param transactions the definition's transaction machinery; null when it does not support transactions
     */
    KafkaManagedConnection(KafkaManagedConnectionFactory factory, ConnectionCredential credential,
                           SharedEngineSource sharedEngines, DefinitionTransactions transactions) {
        this.factory = factory;
        this.credential = credential;
        this.sharedEngines = sharedEngines;
        this.transactions = transactions;
        this.enlistment = new Enlistment(factory::clockMs);
    }

    private synchronized SendRoute sharedEngineRoute() throws ResourceException {
        if (sharedRoute == null) {
            sharedRoute = new SendRoute(sharedEngines.get(), null);
        }
        return sharedRoute;
    }

    /** Serves a request only for the same settings and the same credentials, and only while its engine lives. */
    boolean matches(KafkaManagedConnectionFactory candidate, ConnectionCredential requested) {
        return factory.equals(candidate) && credential.equals(requested) && isUsable();
    }

    /**
     * The engine for a handle's call, and the transaction's turn the call is inside of (null for the shared engine):
     * the caller ends the call with {@link SendRoute#done()}. Fails once the container destroyed this connection. Of a
     * transactional definition, a call on a thread with a JTA transaction goes into that transaction's Kafka
     * transaction or is refused, never to the shared engine (src/docs/connections.md, "Where a send goes").
     *
     * @param enlister the container's connection manager when it offers lazy enlistment, else null
     */
    SendRoute route(LazyEnlistableConnectionManager enlister) {
        if (destroyed) {
            throw new IllegalStateException("This Kafka connection was destroyed by the container; obtain a new one");
        }
        if (transactions != null) {
            EngineTurn transactional = transactionalTurn(enlister);
            if (transactional != null) {
                return new SendRoute(transactional.lease().engine(), transactional);
            }
        }
        SendRoute shared = sharedRoute;
        if (shared != null) {
            return shared;
        }
        try {
            return sharedEngineRoute();
        } catch (ResourceException e) {
            throw new KafkaResourceException("The Kafka engine of this connection definition could "
                    + "not start: " + e.getMessage(), e);
        }
    }

    /** Where one handle call runs: an engine, and the turn it entered (given back only after the call). */
    record SendRoute(ProducerEngine engine, EngineTurn turn) {
        void done() {
            if (turn != null) {
                turn.sendReturned();
            }
        }
    }

    /**
     * The entered turn of the transactional engine for the calling thread, null for the shared one; throws when the
     * call is refused.
     */
    private EngineTurn transactionalTurn(LazyEnlistableConnectionManager enlister) {
        CallerTransaction.Snapshot caller = factory.callerTransaction().current();
        if (caller.none()) {
            // A thread without a JTA transaction: into the connection's Kafka transaction if one is active (the
            // application sends for a transaction begun on another of its threads), else shared.
            return enteredActiveTurn();
        }
        if (!caller.active()) {
            throw enlistment.inactive(caller);
        }
        EngineTurn active = enteredActiveTurn();
        if (active != null) {
            return forCallerOrRefused(active, caller, Enlistment::otherTransaction);
        }
        if (enlister == null) {
            throw Enlistment.notEnlisted("the container's connection manager offers no lazy enlistment");
        }
        try {
            enlister.lazyEnlist(this);
        } catch (ResourceException e) {
            throw Enlistment.notEnlisted("the container could not enlist it: " + withCauses(e) + borrowFailure());
        }
        Supplier<KafkaTransactionException> notBegun = () -> Enlistment.notEnlisted("the container's lazy "
                + "enlistment did not begin a transaction on it" + borrowFailure());
        active = enteredActiveTurn();
        if (active == null) {
            throw notBegun.get();
        }
        return forCallerOrRefused(active, caller, notBegun);
    }

    /** The reason this connection got no transactional engine at its last try, as a sentence to append. */
    private String borrowFailure() {
        ResourceException failure = lastBorrowFailure;
        return failure == null ? "" : "; it got no transactional engine: " + withCauses(failure);
    }

    /**
     * A failure's message with those of its causes: IronJacamar's enlistment error (IJ000469) says only that the
     * enlistment failed, and the reason the caller needs (no engine: which limit, what to raise) is a cause of it.
     */
    private static String withCauses(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        int depth = 0;
        for (Throwable cause = failure.getCause(); cause != null && depth < 8; cause = cause.getCause(), depth++) {
            String message = cause.getMessage();
            if (message != null && !text.toString().contains(message)) {
                text.append("; caused by: ").append(message);
            }
        }
        return text.toString();
    }

    /** The refusal is built only when it is thrown: an exception's stack trace would cost every send. */
    private EngineTurn forCallerOrRefused(EngineTurn entered, CallerTransaction.Snapshot caller,
                                          Supplier<KafkaTransactionException> refusal) {
        if (enlistment.isFor(caller)) {
            return entered;
        }
        entered.sendReturned();
        throw refusal.get();
    }

    /** The current turn, entered, when its Kafka transaction is active; null otherwise. */
    private EngineTurn enteredActiveTurn() {
        EngineTurn current = turn;
        if (current == null) {
            return null;
        }
        TxState state = current.lease().state();
        return (state == TxState.LOCAL_ACTIVE || state == TxState.XA_ACTIVE) && current.enterSend() ? current : null;
    }

    /**
     * A record's future as the application gets it: one sent through the transactional engine explains a failure
     * caused by the transaction manager's timeout (see {@link AbortExplainingFuture}).
     */
    Future<RecordMetadata> explainAborts(SendRoute sentThrough, Future<RecordMetadata> sent) {
        if (sentThrough.turn() == null) {
            return sent;
        }
        return new AbortExplainingFuture(sent, enlistment, enlistment.currentKey());
    }

    /** A Kafka transaction begins (local begin, XA start) for the calling thread's JTA transaction. */
    void transactionBegins() {
        if (transactions != null) {
            enlistment.began(factory.callerTransaction().current());
        }
    }

    /** A rollback (or an XA end with TMFAIL) arrives, possibly from the transaction manager's timeout thread. */
    void transactionRollingBack() {
        enlistment.rollingBack();
    }

    /**
     * For a handle the container closes: tells, at its next call, when the calling thread's transaction says more
     * than "closed" (WildFly closes the handles of a transaction its timeout rolled back). Holds neither this
     * connection nor its engines.
     */
    Supplier<KafkaTransactionException> closedDiagnosis() {
        if (transactions == null) {
            return () -> null;
        }
        CallerTransaction callers = factory.callerTransaction();
        Enlistment record = enlistment;
        return () -> {
            CallerTransaction.Snapshot caller = callers.current();
            return caller.none() || caller.active() ? null : record.inactive(caller);
        };
    }

    /** This connection's transactional engine for the transaction that begins: borrowed unless it holds one. */
    synchronized TransactionalEngineLease transactionalLease() throws ResourceException {
        if (transactions == null) {
            throw new NotSupportedException("This Kafka connection definition does not support transactions: set its "
                    + "transactionSupportLevel to LocalTransaction or XATransaction");
        }
        if (destroyed) {
            throw new ResourceException("This Kafka connection was destroyed by the container");
        }
        if (turn == null) {
            try {
                turn = new EngineTurn(transactions.borrowEngine());
                lastBorrowFailure = null;
            } catch (ResourceException e) {
                lastBorrowFailure = e;
                throw e;
            }
        }
        return turn.lease();
    }

    /** The borrowed engine, for a call that needs a transaction begun on it. */
    TransactionalEngineLease leaseOrFail(String call) throws ResourceException {
        TransactionalEngineLease current = currentLease();
        if (current == null) {
            throw new LocalTransactionException("local transaction " + call
                    + ": no transaction was begun on this Kafka connection");
        }
        return current;
    }

    /** The borrowed engine, or null between transactions. */
    TransactionalEngineLease currentLease() {
        EngineTurn current = turn;
        return current == null ? null : current.lease();
    }

    KafkaXAResource recoveryResource() throws ResourceException {
        if (transactions == null) {
            throw new NotSupportedException("This Kafka connection definition does not support XA transactions");
        }
        return transactions.recoveryResource();
    }

    /**
     * Lets the definition's in-doubt branches warn about those near their timeout; {@code nowAndThen} limits the
     * look to once a second (branch starts). Never fails: it is a side look of a transaction manager's call.
     */
    void checkInDoubtBranches(boolean nowAndThen) {
        try {
            InDoubtBranches branches = transactions == null ? null : transactions.inDoubtBranches();
            if (branches != null && nowAndThen) {
                branches.checkTimeoutsNowAndThen();
            } else if (branches != null) {
                branches.checkTimeouts();
            }
        } catch (ResourceException | RuntimeException e) {
            LOG.debug("In-doubt branches not checked: {}", e.toString());
        }
    }

    int transactionTimeoutSeconds() {
        return transactions == null ? 0 : transactions.transactionTimeoutSeconds();
    }

    /**
     * After a transaction call (begin, start, prepare, commit, rollback): once the transaction is over (the engine is
     * IDLE again, or can never run another one) the engine goes back to the definition's set, when the last send of
     * the transaction has returned. A transactional engine that failed fatally or died is reported to the container
     * as a connection error, as the XA error the call threw says.
     */
    void transactionCallEnded() {
        EngineTurn current;
        boolean usable;
        synchronized (this) {
            current = turn;
            if (current == null) {
                return;
            }
            // An unusable engine (FAILED, UNRESOLVED, or dead) can run no further transaction: its turn is over too.
            usable = current.lease().isUsable();
            if (usable && current.lease().state() != TxState.IDLE) {
                return;
            }
            turn = null;
        }
        TransactionalEngineLease lease = current.lease();
        current.end(() -> transactions.giveBack(lease));
        if (!usable) {
            ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                    new IllegalStateException("Transactional Kafka engine " + lease.transactionalId()
                            + " is unusable (fatal producer error or stopped sender loop)"));
            for (ConnectionEventListener listener : listeners) {
                listener.connectionErrorOccurred(event);
            }
        }
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        KafkaConnectionImpl handle = new KafkaConnectionImpl(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof KafkaConnectionImpl handle)) {
            throw new ResourceException("Not a Kafka connection handle: " + connection);
        }
        handle.associateWith(this);
        handles.add(handle);
    }

    void detach(KafkaConnectionImpl handle) {
        handles.remove(handle);
    }

    /**
     * The container takes this connection back from its open handles (IronJacamar does so when the pool is full and
     * this connection is not enlisted in a transaction); each handle asks for a connection again at its next call.
     * Nothing of the connection changes: its engines serve whoever the container hands it to next.
     */
    @Override
    public void dissociateConnections() {
        for (KafkaConnectionImpl handle : handles.snapshot()) {
            handle.dissociateFrom(this);
            handles.remove(handle);
        }
    }

    KafkaManagedConnectionFactory definition() {
        return factory;
    }

    /**
     * Called by a handle's close(): tells the pool that this connection is free again, unless the container
     * dissociated the handle meanwhile (then this connection is no longer the handle's to return).
     */
    void handleClosed(KafkaConnectionImpl handle) {
        if (!handles.remove(handle)) {
            return;
        }
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    /** Called by a handle whose call found the engine dead: the pool must destroy this connection. */
    void engineDied(KafkaConnectionImpl handle, Exception cause) {
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionErrorOccurred(event);
        }
    }

    /** The shared engine if this connection took it already, else null. */
    private ProducerEngine sharedEngineSoFar() {
        SendRoute shared = sharedRoute;
        return shared == null ? null : shared.engine();
    }

    /** For the pool's validation: a connection whose engine stopped can never send again. */
    boolean isUsable() {
        TransactionalEngineLease current = currentLease();
        ProducerEngine shared = sharedEngineSoFar();
        return !destroyed && (shared == null || shared.isAlive()) && (current == null || current.isUsable());
    }

    @Override
    public void cleanup() {
        for (KafkaConnectionImpl handle : handles.removeAll()) {
            handle.invalidate(closedDiagnosis());
        }
    }

    /**
     * Destroys this pooled connection only: the definition's shared engine keeps serving the others. A transactional
     * engine it still holds (its transaction did not complete) is closed and its id returned (a prepared branch
     * stays in the journal for recovery), never lent again.
     */
    @Override
    public void destroy() {
        cleanup();
        EngineTurn current;
        synchronized (this) {
            destroyed = true;
            current = turn;
            turn = null;
        }
        if (current != null) {
            current.end(() -> transactions.discard(current.lease()));
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        if (transactions == null) {
            throw new NotSupportedException("This Kafka connection definition does not support XA transactions: set "
                    + "its transactionSupportLevel to XATransaction");
        }
        return xaResource;
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        if (transactions == null) {
            throw new NotSupportedException("This Kafka connection definition does not support local transactions: "
                    + "set its transactionSupportLevel to LocalTransaction");
        }
        return localTransaction;
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        ProducerEngine shared = sharedEngineSoFar();
        return new KafkaManagedConnectionMetaData(shared == null ? "(no engine started yet)" : shared.clientId());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
