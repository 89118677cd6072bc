package io.kafkara.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;

import io.kafkara.engine.kafka.DoorAccess;

/**
 * A real engine over a fake network and a fake clock: the test steps the real sender loop by hand, answers as the
 * broker, and moves time. Nothing runs on another thread.
 */
final class EngineHarness implements AutoCloseable {

    static final String TOPIC = "orders";
    static final int PARTITIONS = 3;
    private static final AtomicInteger IDS = new AtomicInteger();

    final MockTime time;
    final String clientId = "engine-test-" + IDS.incrementAndGet();
    final ProducerEngine engine;
    final FakeBroker broker;
    private MockClient client;
    private ProducerMetadata metadata;

    EngineHarness(Map<String, Object> settings) {
        this(settings, EngineHarness.class.getClassLoader(), true);
    }

    EngineHarness(Map<String, Object> settings, ClassLoader loader, boolean withTopic) {
        this(settings, loader, withTopic, new MockTime(), GuardedClient::new);
    }

    EngineHarness(Map<String, Object> settings, ClassLoader loader, boolean withTopic, MockTime time,
                  BiFunction<MockTime, ProducerMetadata, MockClient> clients) {
        this.time = time;
        Map<String, Object> all = new HashMap<>();
        all.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        all.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        all.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        all.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // Kafka's 5 ms default would need a clock move before every send; tests that linger say so.
        all.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        all.putAll(settings);
        engine = ProducerEngine.create(all, loader, time, m -> {
            metadata = m;
            client = clients.apply(time, m);
            return client;
        });
        broker = new FakeBroker(client, metadata, time);
        if (withTopic) {
            broker.createTopics(Map.of(TOPIC, PARTITIONS));
        }
    }

    MockClient client() {
        return client;
    }

    /** One iteration of the engine's real sender loop. */
    void step() {
        DoorAccess.runOnce(engine.pipeline());
    }

    void stepUntil(BooleanSupplier condition, String expectation) {
        FakeBroker.runUntil(this::step, condition, 20, expectation);
    }

    /** Connect and obtain a producer id: idempotence (Kafka's default) sends InitProducerId before any produce. */
    void initProducerId() {
        broker.prepareInitProducerId();
        stepUntil(() -> DoorAccess.transactionManager(engine.pipeline()).hasProducerId(),
                "the idempotent producer to obtain a producer id");
    }

    int producesInFlight() {
        return broker.inFlightProduce().size();
    }

    /** Lets a blocking engine call make progress: whenever it wakes the sender, the loop is stepped right here. */
    void stepOnWakeup(BooleanSupplier done, String expectation) {
        stepOnWakeup(this::step, done, expectation);
    }

    /** As {@link #stepOnWakeup(BooleanSupplier, String)}, with a step of the test's own (e.g. step and answer). */
    void stepOnWakeup(Runnable step, BooleanSupplier done, String expectation) {
        boolean[] inHook = {false};
        client.setWakeupHook(() -> {
            if (inHook[0]) {
                return;
            }
            inHook[0] = true;
            try {
                FakeBroker.runUntil(step, done, 20, expectation);
            } finally {
                inHook[0] = false;
            }
        });
    }

    /** One step of the loop, then the broker acknowledges every produce request in flight. */
    void stepAndAcknowledge() {
        step();
        while (producesInFlight() > 0) {
            broker.answerOldestProduce(org.apache.kafka.common.protocol.Errors.NONE);
        }
    }

    @Override
    public void close() {
        engine.close(Duration.ZERO);
    }
}
