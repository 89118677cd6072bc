package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** When the sender loop sends a batch: after linger.ms, or at once when the batch is full. */
class EngineReadinessTest {

    @Test
    void aLingeringBatchIsSentOnlyWhenLingerMsHasPassed() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 100))) {
            h.initProducerId();
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);

            // linger not yet elapsed: the loop keeps the batch
            h.step();
            h.time.sleep(99);
            h.step();
            assertEquals(0, h.producesInFlight(), "a batch must wait linger.ms = 100 before it is sent");

            // linger elapsed: send produce request
            h.time.sleep(1);
            h.step();
            assertEquals(1, h.producesInFlight(), "the batch must be sent once linger.ms passed");

            // receive the acknowledgement
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();
            assertTrue(sent.isDone());
            assertEquals(0, sent.get().offset());
        }
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForLinger() {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000,
                ProducerConfig.BATCH_SIZE_CONFIG, 200))) {
            h.initProducerId();
            // two records of ~120 bytes do not fit one 200-byte batch: the first batch is full
            String value = "x".repeat(120);
            long start = h.time.milliseconds();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, value), null);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, value), null);

            // send produce request without any time passing
            h.step();
            assertEquals(1, h.producesInFlight(), "the full batch must be sent at once, despite linger.ms");
            assertEquals(1, h.broker.oldestProduce().batches().values().iterator().next().countOrNull(),
                    "only the full batch is sent; the second record still lingers in its own batch");
            assertEquals(start, h.time.milliseconds(), "no time passed");
        }
    }
}
