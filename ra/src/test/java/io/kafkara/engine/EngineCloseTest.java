package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Closing with records in flight: drain when the loop can, fail what is left when it is forced. */
class EngineCloseTest {

    private static final TopicPartition P0 = new TopicPartition(EngineHarness.TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(EngineHarness.TOPIC, 1);

    @Test
    void anOrderlyCloseDrainsInFlightAndBufferedRecords() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.initProducerId();
            Future<RecordMetadata> inFlight = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            // linger over: send produce request for p0
            h.time.sleep(60_000);
            h.step();
            Future<RecordMetadata> buffered = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"), null);
            // the broker's answers: p0's is on the wire, p1's batch will be drained and answered during the close
            h.broker.answerOldestProduce(Errors.NONE);
            h.broker.prepareProduceAnswer(Map.of(P1, Errors.NONE));

            // the container releases the Work, then runs it: it drains and returns
            h.engine.senderWork().release();
            h.engine.senderWork().run();
            h.engine.close(Duration.ofSeconds(5));

            assertEquals(0, inFlight.get().offset(), "the in-flight record was acknowledged");
            assertEquals(1, buffered.get().partition(), "the buffered record was sent during the close");
            assertFalse(h.engine.isAlive());
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, "late"), null));
            assertTrue(closed.getMessage().contains(h.clientId) && closed.getMessage().contains("closed"),
                    closed.getMessage());
        }
    }

    @Test
    void aForcedCloseFailsEveryPendingRecordAndItsCallback() {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.initProducerId();
            List<Exception> callbackErrors = new ArrayList<>();
            Future<RecordMetadata> inFlight = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"),
                    (metadata, error) -> callbackErrors.add(error));
            // linger over: send produce request, which the broker never answers
            h.time.sleep(60_000);
            h.step();
            Future<RecordMetadata> buffered = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"),
                    (metadata, error) -> callbackErrors.add(error));

            // no container thread runs the loop, so nothing can drain: close forces at once
            h.engine.close(Duration.ofSeconds(5));

            for (Future<RecordMetadata> pending : List.of(inFlight, buffered)) {
                KafkaException failure = assertInstanceOf(KafkaException.class,
                        assertThrows(ExecutionException.class, pending::get).getCause());
                assertTrue(failure.getMessage().contains("forcefully"), failure.getMessage());
            }
            assertEquals(2, callbackErrors.size());
            assertTrue(callbackErrors.stream().allMatch(e -> e instanceof KafkaException));
        }
    }

    @Test
    void closeFromACallbackOnTheSenderLoopForcesInsteadOfWaitingForItself() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            h.broker.prepareInitProducerId();
            // one request carries both partitions: p0 is acknowledged, p1 gets a retriable error
            h.broker.prepareProduceAnswer(Map.of(P0, Errors.NONE, P1, Errors.NOT_ENOUGH_REPLICAS));
            List<String> events = new ArrayList<>();
            Future<RecordMetadata> acknowledged = h.engine.send(
                    new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), (metadata, error) -> {
                        events.add("callback p0, closing");
                        h.engine.close(Duration.ofSeconds(30));
                        events.add("close returned");
                    });
            Future<RecordMetadata> retrying = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"),
                    (metadata, error) -> events.add("callback p1 " + error.getClass().getSimpleName()));

            // the container runs the Work: connect, init producer id, send produce request, receive answers
            h.engine.senderWork().run();

            assertEquals(List.of("callback p0, closing", "close returned", "callback p1 KafkaException"), events);
            assertEquals(0, acknowledged.get().offset());
            assertThrows(ExecutionException.class, retrying::get);
            assertFalse(h.engine.isAlive());
        }
    }

    @Test
    void closeIsIdempotentAndRejectsANegativeTimeout() {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> h.engine.close(Duration.ofMillis(-1)));
            assertTrue(h.engine.isAlive(), "a rejected close leaves the engine alive");
            h.engine.close(Duration.ZERO);
            h.engine.close(Duration.ZERO);
            assertFalse(h.engine.isAlive());
            // a Work the container starts after the close has nothing to run and returns
            h.engine.senderWork().run();
            assertFalse(h.engine.isAlive());
        }
    }
}
