package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;

/** Retries with backoff, the in-flight limit, and ordering of an idempotent producer. */
class EngineRetryAndInFlightTest {

    @Test
    void aRetriableErrorIsRetriedAfterTheBackoff() throws Exception {
        // max = initial backoff: no exponential growth and no jitter, so the retry time is exact
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100,
                ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100))) {
            h.initProducerId();
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "a"), null);

            // send produce request
            h.step();
            // receive error: NOT_ENOUGH_REPLICAS is retriable
            h.broker.answerOldestProduce(Errors.NOT_ENOUGH_REPLICAS);
            h.step();
            assertFalse(sent.isDone(), "a retriable error must not fail the record");

            // backoff not yet over: nothing is resent
            h.time.sleep(99);
            h.step();
            assertEquals(0, h.producesInFlight(), "the retry must wait retry.backoff.ms = 100");

            // backoff over: resend produce request with the same sequence
            h.time.sleep(1);
            h.step();
            MutableRecordBatch retried = h.broker.oldestProduce().batches().values().iterator().next();
            assertEquals(0, retried.baseSequence(), "the retry carries the original sequence number");

            // receive success
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();
            assertEquals(1, sent.get().partition());
            assertEquals(0, sent.get().offset());
        }
    }

    @Test
    void withOneRequestInFlightTheNextBatchWaitsForTheAnswer() {
        try (EngineHarness h = new EngineHarness(Map.of(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1))) {
            h.initProducerId();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "first"), null);
            // send produce request for the first batch
            h.step();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "second"), null);
            // the second batch is ready but the partition has a request in flight
            h.step();
            h.step();
            assertEquals(1, h.producesInFlight(), "max.in.flight.requests.per.connection = 1 allows one request");

            // receive the first answer: now the second batch goes out
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();
            h.step();
            assertEquals(1, h.producesInFlight());
            assertEquals(1, h.broker.oldestProduce().batches().values().iterator().next().baseSequence());
        }
    }

    @Test
    void withTwoRequestsAllowedBothBatchesAreInFlight() {
        try (EngineHarness h = new EngineHarness(Map.of(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 2))) {
            h.initProducerId();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "first"), null);
            // send produce request for the first batch
            h.step();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "second"), null);
            // send produce request for the second batch, without an answer to the first
            h.step();
            assertEquals(2, h.producesInFlight(), "max.in.flight.requests.per.connection = 2 allows two requests");
        }
    }

    @Test
    void anIdempotentProducerNumbersBatchesInSendOrderAndCompletesThemInOrder() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            h.initProducerId();
            List<String> completions = new ArrayList<>();
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (String value : List.of("r0", "r1", "r2")) {
                futures.add(h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 2, null, value),
                        (metadata, error) -> completions.add(value + "@" + metadata.offset())));
                // send produce request: one batch per record
                h.step();
            }
            List<FakeBroker.Produced> inFlight = h.broker.inFlightProduce();
            assertEquals(3, inFlight.size());
            for (int i = 0; i < 3; i++) {
                MutableRecordBatch batch = inFlight.get(i).batches().values().iterator().next();
                assertEquals(FakeBroker.PRODUCER_ID, batch.producerId(), "idempotence: the batch carries the id");
                assertEquals(i, batch.baseSequence(), "sequence numbers follow send order");
            }

            // receive the answers in order
            for (int i = 0; i < 3; i++) {
                h.broker.answerOldestProduce(Errors.NONE);
                h.step();
            }
            assertEquals(List.of("r0@0", "r1@1", "r2@2"), completions);
            assertTrue(futures.stream().allMatch(Future::isDone));
        }
    }
}
