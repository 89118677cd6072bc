package io.kafkara.tx;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.resource.ResourceException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transactional connection definitions of one adapter instance must not share, and what outlives a single
 * definition: the transactional ids each one claims ({@code prefix-node-}; two definitions with the same ids would
 * fence each other's engines at every initTransactions), and the MBeans they register, all released when the adapter
 * stops. An MBean name that is already taken means another adapter deployment of this server uses the same ids.
 */
public final class TransactionalDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalDefinitions.class);

    /** A definition's claim on transactional ids, and how to name it in a message. */
    private record Claim(Object definition, String description) {
    }

    private final MBeanServer jmx;
    private final Map<String, Claim> claims = new HashMap<>();
    private final List<ObjectName> registered = new ArrayList<>();
    private boolean stopped;

    public TransactionalDefinitions() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    TransactionalDefinitions(MBeanServer jmx) {
        this.jmx = jmx;
    }

    /**
     * Claims the transactional ids {@code idHead + slot} for a definition; fails naming both definitions when another
     * one of this adapter claimed them. Claiming again for the same definition is allowed.
     */
    public synchronized void claim(Object definition, String idHead, String description) throws ResourceException {
        Claim existing = claims.get(idHead);
        if (existing != null && existing.definition() != definition) {
            throw new ResourceException("Two connection definitions of this resource adapter would use the same "
                    + "transactional ids " + idHead + "<slot>: " + existing.description() + ", and " + description
                    + ". Their engines would fence each other's transactions: give each definition its own "
                    + "transactionalIdPrefix");
        }
        claims.put(idHead, new Claim(definition, description));
    }

    /** The adapter (re)started: registrations are accepted. */
    public synchronized void open() {
        stopped = false;
    }

    /** Registers an MBean until the adapter stops; refused once it stopped (a late recovery scan must not leak one). */
    synchronized void register(ObjectName name, Object mbean) throws ResourceException {
        if (stopped) {
            throw new ResourceException("The Kafka resource adapter is stopped: the MBean " + name
                    + " is not registered");
        }
        try {
            jmx.registerMBean(mbean, name);
            registered.add(name);
        } catch (InstanceAlreadyExistsException e) {
            throw new ResourceException("The MBean " + name + " is registered already: another resource adapter "
                    + "deployment of this server uses the same transactional ids. Their engines would fence each "
                    + "other's transactions: give each connection definition its own transactionalIdPrefix", e);
        } catch (JMException e) {
            throw new ResourceException("The MBean " + name + " could not be registered: " + e, e);
        }
    }

    /** Unregisters the MBeans and drops the claims; the adapter is stopping. */
    public synchronized void releaseAll() {
        for (ObjectName name : registered) {
            try {
                jmx.unregisterMBean(name);
            } catch (JMException e) {
                LOG.warn("KAFKARA-RA-004: the MBean {} could not be unregistered: {}", name, e.toString());
            }
        }
        registered.clear();
        claims.clear();
        stopped = true;
    }
}
