package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Interceptor isolation, and the order in which interceptors, callbacks and futures complete. */
class EngineInterceptorAndCompletionTest {

    @BeforeEach
    void clearTranscript() {
        RecordingInterceptor.TRANSCRIPT.clear();
    }

    @Test
    void aThrowingInterceptorIsSkippedAndTheRecordIsStillSent() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                ThrowingInterceptor.class.getName() + "," + RecordingInterceptor.class.getName()))) {
            h.initProducerId();
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "v"), null);

            // send produce request
            h.step();
            FakeBroker.Produced produced = h.broker.oldestProduce();
            assertEquals(List.of("v+tagged"), FakeBroker.values(produced.batches().values().iterator().next()),
                    "the second interceptor still ran after the first threw");

            // receive the acknowledgement
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();
            assertEquals(0, sent.get().offset());
            assertEquals(List.of("onSend v", "ack 0@0"), RecordingInterceptor.TRANSCRIPT,
                    "the throwing interceptor's onAcknowledgement did not stop the chain either");
        }
    }

    @Test
    void interceptorThenCallbackPerRecordInSendOrderAndTheFutureAfterTheCallback() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                RecordingInterceptor.class.getName(), ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.initProducerId();
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (String value : List.of("a", "b", "c")) {
                int index = futures.size();
                futures.add(h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, value),
                        (metadata, error) -> RecordingInterceptor.TRANSCRIPT.add("callback " + value + "@"
                                + metadata.offset() + " futureDone=" + futures.get(index).isDone())));
            }
            RecordingInterceptor.TRANSCRIPT.clear();
            assertTrue(futures.stream().noneMatch(Future::isDone), "nothing completes before the broker answers");

            // linger over: send produce request with the three records in one batch
            h.time.sleep(60_000);
            h.step();
            // receive the acknowledgement
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();

            assertEquals(List.of("ack 0@0", "callback a@0 futureDone=false", "ack 0@1", "callback b@1 futureDone=false",
                    "ack 0@2", "callback c@2 futureDone=false"), RecordingInterceptor.TRANSCRIPT);
            assertTrue(futures.stream().allMatch(Future::isDone), "futures complete after all callbacks ran");
            assertEquals(2, futures.get(2).get().offset());
        }
    }

    @Test
    void sendAsyncCompletesTheStageWithTheMetadata() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            h.initProducerId();
            var stage = h.engine.sendAsync(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "v")).toCompletableFuture();
            // send produce request
            h.step();
            assertTrue(!stage.isDone());
            // receive the acknowledgement
            h.broker.answerOldestProduce(Errors.NONE);
            h.step();
            assertEquals(1, stage.getNow(null).partition());
        }
    }
}
