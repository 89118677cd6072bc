package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.junit.jupiter.api.Test;

/**
 * A topic name that breaks Kafka's rules fails the send at once (no metadata round trip, so no metadata refresh that
 * keeps logging the bad name), naming the rule, as Kafka's own InvalidTopicException through future and callback.
 */
class EngineTopicNameTest {

    private static String failure(EngineHarness h, String topic) {
        List<Exception> heard = new ArrayList<>();
        Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(topic, "x"), (metadata, e) -> heard.add(e));
        InvalidTopicException invalid = assertInstanceOf(InvalidTopicException.class,
                assertThrows(ExecutionException.class, sent::get).getCause());
        assertEquals(1, heard.size(), "the callback hears of it too");
        return invalid.getMessage();
    }

    @Test
    void eachRuleIsNamed() {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            assertTrue(failure(h, "").contains("must not be empty"));
            assertTrue(failure(h, "bad topic!").contains("'bad topic!': a topic name may contain only ASCII letters, "
                    + "digits, '.', '_' and '-'"));
            String tooLong = failure(h, "t".repeat(250));
            assertTrue(tooLong.contains("at most 249 characters, this one has 250"), tooLong);
            assertTrue(failure(h, "..").contains("cannot be \".\" or \"..\""));
            assertEquals(0, h.client().inFlightRequestCount(), "nothing was asked of the cluster");
        }
    }

    @Test
    void aBadNameFailsEverySendEvenRightAfterALegalOne() {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            String bad = "bad topic!";
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, "x"), null);

            assertTrue(failure(h, bad).contains("'bad topic!'"));
            assertTrue(failure(h, bad).contains("'bad topic!'"), "the same string object, refused again");
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, "x"), null);
            assertTrue(failure(h, "other topic?").contains("'other topic?'"), "another bad name after a good one");
        }
    }
}
