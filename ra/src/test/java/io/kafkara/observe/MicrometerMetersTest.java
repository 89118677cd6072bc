package io.kafkara.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A definition's meters in a Micrometer registry, named as Micrometer's Kafka binder names Kafka's metrics and tagged
 * with the definition, added and removed with it; and the readiness over the registered definitions (the check itself needs the server's
 * MicroProfile Health implementation: ObservabilityIT).
 */
class MicrometerMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerMeters meters = new MicrometerMeters(registry);
    private final Object adapter = new Object();

    @AfterEach
    void unregister() {
        ObservedDefinitions.removeListener(meters);
        ObservedDefinitions.unregisterAll(adapter);
    }

    @Test
    void aDefinitionsMetersAreTaggedWithItAndGoWithItsAdapter() {
        ObservedDefinitions.addListener(meters);
        ObservedDefinitions.register(adapter, new FixedDefinition("orders", 3, 2, 1, 42));

        FunctionCounter sent = registry.find("kafka.producer.record.send.total")
                .tag(MicrometerMeters.DEFINITION_TAG, "orders").functionCounter();
        assertNotNull(sent, names());
        assertEquals(0.0, sent.count(), "no engine has sent yet");
        assertNotNull(registry.find("kafka.producer.request.latency.avg").tag(MicrometerMeters.DEFINITION_TAG, "orders")
                .gauge(), names());
        Gauge inUse = registry.find("kafka.ra.transactional.engines.in.use").gauge();
        assertEquals(3.0, inUse.value());
        assertEquals(2.0, registry.find("kafka.ra.transactional.engines.idle").gauge().value());
        assertEquals(1.0, registry.find("kafka.ra.branches.in.doubt").gauge().value());
        assertEquals(42.0, registry.find("kafka.ra.journal.writes").functionCounter().count());

        ObservedDefinitions.unregisterAll(adapter);

        assertEquals(List.of(), registry.getMeters().stream().map(meter -> meter.getId().getName()).toList(),
                "the stopped adapter's meters are removed");
    }

    @Test
    void theReadinessIsUpWithEachRegisteredDefinitionsDataWhenNoneIsDown() {
        ObservedDefinitions.register(adapter, new FixedDefinition("orders", 0, 0, 2, 0));

        DefinitionReadiness.Report report = DefinitionReadiness.of(ObservedDefinitions.all());

        assertTrue(report.up());
        Map<String, Object> data = report.data();
        assertEquals("UP", data.get("orders.status"));
        assertEquals(2L, data.get("orders.inDoubtBranches"));
        assertEquals(0L, data.get("orders.engines"));
    }

    private String names() {
        return registry.getMeters().stream().map(Meter::getId).toList().toString();
    }

    private record FixedDefinition(String name, int inUse, int idle, int inDoubt, long journalWrites)
            implements ObservedDefinition {

        private static final EngineRoster NO_ENGINES = new EngineRoster();

        @Override
        public EngineRoster engines() {
            return NO_ENGINES;
        }

        @Override
        public int transactionalEnginesInUse() {
            return inUse;
        }

        @Override
        public int transactionalEnginesIdle() {
            return idle;
        }

        @Override
        public int inDoubtBranches() {
            return inDoubt;
        }

        @Override
        public long oldestInDoubtAgeMs() {
            return inDoubt == 0 ? -1 : 1_000;
        }
    }
}
