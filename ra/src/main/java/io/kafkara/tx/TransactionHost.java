package io.kafkara.tx;

import java.util.Map;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.ProducerEngine;

/**
 * What a definition's transactions need of the resource adapter that runs them. The adapter (in {@code spi}) owns
 * the container's work manager, the client ids and the MBean registrations; the transactions only ask.
 */
public interface TransactionHost {

    /** The engines' clock: transactions stamp and age their branches with it. */
    Time time();

    /** A client id unique within the adapter, readable in JMX and logs. */
    String nextClientId(String prefix);

    /** Starts an engine whose sender loop runs as a Work of the container; fails when the adapter is not started. */
    ProducerEngine launch(Map<String, Object> producerConfig, ClassLoader applicationLoader) throws ResourceException;

    /** Lets the adapter close the idle transactional engines when a sender Work waits for a thread. */
    void idleEnginesClosedOnDemand(Runnable closer) throws ResourceException;

    /** The transactional ids claimed by the adapter's definitions, and their MBeans. */
    TransactionalDefinitions transactionalDefinitions();
}
