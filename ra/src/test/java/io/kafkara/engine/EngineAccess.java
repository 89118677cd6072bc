package io.kafkara.engine;

import java.util.Map;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.KafkaClientFactory;

/** Test-only access to the engine's seam: an engine on a fake clock and a fake network client. */
public final class EngineAccess {

    private EngineAccess() {
    }

    public static ProducerEngine create(Map<String, Object> producerConfig, ClassLoader classLoader, Time time,
                                        KafkaClientFactory clientFactory) {
        return ProducerEngine.create(producerConfig, classLoader, time, clientFactory);
    }

    /** Waits until every record the engine accepted is acknowledged or failed. */
    public static void flush(ProducerEngine engine) {
        engine.flush();
    }
}
