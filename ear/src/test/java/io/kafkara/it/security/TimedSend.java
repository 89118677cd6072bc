package io.kafkara.it.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/** One send through a connection of a factory, timed, waiting at most a bound: what each security test starts with. */
final class TimedSend {

    /** The broker acknowledged the record after {@code elapsedMs}. */
    record Acked(RecordMetadata written, long elapsedMs) {
    }

    /** The send's future failed after {@code elapsedMs}; {@code failure.getCause()} is what Kafka reported. */
    record Failed(ExecutionException failure, long elapsedMs) {
    }

    private TimedSend() {
    }

    static Acked acked(KafkaConnectionFactory factory, ProducerRecord<String, String> record, long limitMs) throws Exception {
        long start = System.nanoTime();
        try (KafkaConnection kafka = factory.getConnection()) {
            RecordMetadata written = kafka.send(record).get(limitMs, TimeUnit.MILLISECONDS);
            return new Acked(written, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Fails the test unless the send fails, and fails within {@code limitMs}: never a hang. */
    static Failed failed(KafkaConnectionFactory factory, ProducerRecord<String, String> record, long limitMs) throws Exception {
        long start = System.nanoTime();
        ExecutionException failure;
        try (KafkaConnection kafka = factory.getConnection()) {
            var ack = kafka.send(record);
            failure = assertThrows(ExecutionException.class, () -> ack.get(limitMs, TimeUnit.MILLISECONDS));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < limitMs, "failed within bounded time, not after " + elapsedMs + " ms");
        return new Failed(failure, elapsedMs);
    }
}
