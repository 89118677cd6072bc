package io.kafkara.spi;

import java.util.Map;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.tx.TransactionHost;
import io.kafkara.tx.TransactionalDefinitions;

/** A definition's transactions see their resource adapter through this, not through its JavaBean class. */
final class AdapterTransactionHost implements TransactionHost {

    private final KafkaResourceAdapter adapter;

    AdapterTransactionHost(KafkaResourceAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public Time time() {
        return adapter.time();
    }

    @Override
    public String nextClientId(String prefix) {
        return adapter.nextClientId(prefix);
    }

    @Override
    public ProducerEngine launch(Map<String, Object> producerConfig, ClassLoader applicationLoader)
            throws ResourceException {
        return adapter.engines().launch(producerConfig, applicationLoader);
    }

    @Override
    public void idleEnginesClosedOnDemand(Runnable closer) throws ResourceException {
        adapter.engines().idleEnginesClosedOnDemand(closer);
    }

    @Override
    public TransactionalDefinitions transactionalDefinitions() {
        return adapter.transactionalDefinitions();
    }
}
