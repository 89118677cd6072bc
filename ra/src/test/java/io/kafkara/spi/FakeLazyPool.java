package io.kafkara.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.DissociatableManagedConnection;
import jakarta.resource.spi.LazyAssociatableConnectionManager;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;

/**
 * A bounded pool of one connection definition that takes connections back from open handles as IronJacamar's pool
 * does (JCA lazy association): when all its connections are checked out, it calls dissociateConnections() on the one
 * checked out longest (IronJacamar: any one not enlisted in a transaction), forgets that connection's handles without
 * cleaning it up, and lends it to the caller; a dissociated handle comes back through associateConnection(). A full
 * pool whose connections cannot be dissociated refuses at once, where IronJacamar first waits its blocking timeout.
 * Like IronJacamar's connection listeners it holds the handles of checked-out connections strongly. No transactions
 * and no connection errors: their events throw.
 */
final class FakeLazyPool implements ConnectionManager, LazyAssociatableConnectionManager,
        NoLocalTransactionEvents {

    private static final long serialVersionUID = 1L;

    final List<String> events = new ArrayList<>();
    private final int maxSize;
    private final Map<ManagedConnection, Set<Object>> checkedOut = new LinkedHashMap<>();
    private final List<ManagedConnection> idle = new ArrayList<>();

    FakeLazyPool(int maxSize) {
        this.maxSize = maxSize;
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info) throws ResourceException {
        ManagedConnection connection = checkOut(factory, info);
        Object handle = connection.getConnection(null, info);
        checkedOut.get(connection).add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object handle, ManagedConnectionFactory factory, ConnectionRequestInfo info)
            throws ResourceException {
        ManagedConnection connection = checkOut(factory, info);
        connection.associateConnection(handle);
        checkedOut.get(connection).add(handle);
        events.add("associated");
    }

    @Override
    public void inactiveConnectionClosed(Object handle, ManagedConnectionFactory factory) {
        events.add("inactive handle closed");
    }

    int checkedOutCount() {
        return checkedOut.size();
    }

    private ManagedConnection checkOut(ManagedConnectionFactory factory, ConnectionRequestInfo info)
            throws ResourceException {
        if (checkedOut.size() == maxSize) {
            dissociateOne();
        }
        ManagedConnection connection = factory.matchManagedConnections(new HashSet<>(idle), null, info);
        if (connection != null) {
            idle.remove(connection);
        } else {
            connection = factory.createManagedConnection(null, info);
            connection.addConnectionEventListener(this);
        }
        checkedOut.put(connection, new HashSet<>());
        return connection;
    }

    private void dissociateOne() throws ResourceException {
        ManagedConnection oldest = checkedOut.keySet().stream()
                .filter(DissociatableManagedConnection.class::isInstance).findFirst()
                .orElseThrow(() -> new ResourceException("IJ000655: No managed connections available within "
                        + "configured blocking timeout (a full fake pool of " + maxSize + ")"));
        ((DissociatableManagedConnection) oldest).dissociateConnections();
        checkedOut.remove(oldest);
        idle.add(oldest);
        events.add("dissociated");
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        ManagedConnection connection = (ManagedConnection) event.getSource();
        Set<Object> handles = checkedOut.get(connection);
        if (handles == null || !handles.remove(event.getConnectionHandle())) {
            throw new AssertionError("CONNECTION_CLOSED for a handle the pool does not have on that connection");
        }
        events.add("closed");
        if (handles.isEmpty()) {
            checkedOut.remove(connection);
            try {
                connection.cleanup();
            } catch (ResourceException e) {
                throw new AssertionError(e);
            }
            idle.add(connection);
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        throw new UnsupportedOperationException("connectionErrorOccurred");
    }
}
