package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.MockTime;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/** A sender loop that ends while the engine is not closing leaves a dead engine that fails fast. */
class EngineDeathTest {

    /** A network client whose next poll throws, as a class unloaded under a running Work would. */
    static final class BreakingClient extends GuardedClient {
        volatile Error breakWith;

        BreakingClient(Time time, Metadata metadata) {
            super(time, metadata);
        }

        @Override
        public List<ClientResponse> poll(long timeoutMs, long now) {
            if (breakWith != null) {
                throw breakWith;
            }
            return super.poll(timeoutMs, now);
        }
    }

    @Test
    void whenTheWorkThrowsPendingRecordsFailAndLaterCallsFailFastNamingClientAndCause() {
        BreakingClient[] client = new BreakingClient[1];
        try (EngineHarness h = new EngineHarness(Map.of(), EngineHarness.class.getClassLoader(), true, new MockTime(),
                (time, metadata) -> client[0] = new BreakingClient(time, metadata))) {
            Future<RecordMetadata> pending = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"),
                    null);
            NoClassDefFoundError cause = new NoClassDefFoundError("org/apache/kafka/common/network/Selector");
            client[0].breakWith = cause;

            // the container runs the Work: its first poll throws
            Error thrown = assertThrows(NoClassDefFoundError.class, () -> h.engine.senderWork().run());
            assertSame(cause, thrown, "the Work reports the cause to the container");

            assertFalse(h.engine.isAlive());
            assertThrows(ExecutionException.class, pending::get, "a record buffered before the death fails");
            EngineStoppedException stopped = assertThrows(EngineStoppedException.class,
                    () -> h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, "later"), null));
            assertTrue(stopped.getMessage().contains(h.clientId), stopped.getMessage());
            assertTrue(stopped.getMessage().contains("sender loop") && stopped.getMessage().contains("stopped"),
                    stopped.getMessage());
            assertTrue(stopped.getMessage().contains("NoClassDefFoundError"), stopped.getMessage());
            assertSame(cause, stopped.getCause());
            assertThrows(EngineStoppedException.class, h.engine::flush);
            assertThrows(EngineStoppedException.class, () -> h.engine.partitionsFor(EngineHarness.TOPIC));
            assertThrows(EngineStoppedException.class,
                    () -> h.engine.sendAsync(new ProducerRecord<>(EngineHarness.TOPIC, "later")));

            // closing a dead engine still releases it, once
            h.engine.close(Duration.ofSeconds(1));
            h.engine.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aSendBeforeTheWorkStartsWaitsInTheAccumulatorAndGoesOutWhenItRuns() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            Future<RecordMetadata> early = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 2, null, "early"),
                    null);
            assertFalse(early.isDone());
            h.broker.prepareInitProducerId();
            h.broker.prepareProduceAnswer(Map.of(new org.apache.kafka.common.TopicPartition(EngineHarness.TOPIC, 2),
                    org.apache.kafka.common.protocol.Errors.NONE));

            // the container releases and runs the Work: the early record is sent while the loop drains
            h.engine.senderWork().release();
            h.engine.senderWork().run();

            assertTrue(early.isDone());
            assertTrue(early.get().partition() == 2);
            assertFalse(h.engine.isAlive(), "released: closed, not dead");
            h.engine.close(Duration.ofSeconds(1));
        }
    }
}
