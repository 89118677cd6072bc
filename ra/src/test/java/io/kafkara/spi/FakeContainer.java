package io.kafkara.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Timer;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * A small stand-in for the application server: a bootstrap context whose work manager only records what was
 * scheduled (the test decides if and when a Work runs), and a connection manager with a one-list pool that
 * matches, creates, returns connections on CONNECTION_CLOSED and destroys them on CONNECTION_ERROR_OCCURRED.
 * Everything else throws.
 */
final class FakeContainer implements BootstrapContext, WorkManager, ConnectionManager, NoLocalTransactionEvents {

    private static final long serialVersionUID = 1L;

    final List<Work> scheduled = new ArrayList<>();
    final List<WorkListener> listeners = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<ManagedConnection> idle = new ArrayList<>();
    final List<ManagedConnection> destroyed = new ArrayList<>();
    Subject subject;

    // --- BootstrapContext

    @Override
    public WorkManager getWorkManager() {
        return this;
    }

    @Override
    public XATerminator getXATerminator() {
        throw new UnsupportedOperationException("getXATerminator");
    }

    @Override
    public Timer createTimer() {
        throw new UnsupportedOperationException("createTimer");
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        throw new UnsupportedOperationException("isContextSupported");
    }

    /** The calling thread's JTA transaction as the test sets it: no transaction unless a test says otherwise. */
    final FakeTransactionRegistry transactions = new FakeTransactionRegistry();

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return transactions;
    }

    // --- WorkManager: only scheduleWork, which the adapter uses for sender loops

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduled.add(work);
        listeners.add(listener);
    }

    /** Runs a scheduled Work on the test's thread and reports its end to its listener, as a work manager does. */
    void runToCompletion(int index) {
        Work work = scheduled.get(index);
        WorkException failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = new WorkException(e);
            throw e;
        } finally {
            listeners.get(index).workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, failure));
        }
    }

    @Override
    public void doWork(Work work) {
        throw new UnsupportedOperationException("doWork");
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        throw new UnsupportedOperationException("doWork");
    }

    @Override
    public long startWork(Work work) {
        throw new UnsupportedOperationException("startWork");
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        throw new UnsupportedOperationException("startWork");
    }

    @Override
    public void scheduleWork(Work work) {
        throw new UnsupportedOperationException("scheduleWork without listener");
    }

    // --- ConnectionManager with a minimal pool

    @Override
    public Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info) throws ResourceException {
        ManagedConnection connection = factory.matchManagedConnections(new java.util.HashSet<>(idle), subject, info);
        if (connection != null) {
            idle.remove(connection);
        } else {
            connection = factory.createManagedConnection(subject, info);
            connection.addConnectionEventListener(this);
        }
        return connection.getConnection(subject, info);
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        events.add("closed");
        idle.add((ManagedConnection) event.getSource());
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        events.add("error: " + event.getException().getClass().getSimpleName());
        ManagedConnection connection = (ManagedConnection) event.getSource();
        idle.remove(connection);
        destroyed.add(connection);
        try {
            connection.destroy();
        } catch (ResourceException e) {
            throw new AssertionError(e);
        }
    }
}
