package io.kafkara.spi;

import java.util.Map;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.utils.MockTime;

import io.kafkara.engine.EngineAccess;

/**
 * Real engines over Kafka's MockClient and the test's clock, for adapters in a fake container: the fake cluster knows
 * topic "orders" (one partition), so sends need no metadata round trip.
 */
final class FakeClusterEngines {

    private FakeClusterEngines() {
    }

    static EngineSupervisor.EngineFactory on(MockTime time) {
        return (config, loader) -> EngineAccess.create(config, loader, time, metadata -> {
            MockClient network = new MockClient(time, metadata);
            metadata.add("orders", time.milliseconds());
            network.updateMetadata(RequestTestUtils.metadataUpdateWithIds(1, Map.of("orders", 1),
                    Map.of("orders", Uuid.randomUuid())));
            return network;
        });
    }
}
