package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The branch journal's writer: a prepare and a commit each wait for one journal write with nothing to add to it, so
 * the writer must not linger (a definition's linger.ms, Kafka's default 5 ms, would be paid twice per two-phase
 * transaction), and it carries none of the application's classes.
 */
class JournalWriterConfigTest {

    @Test
    void theJournalWriterSendsAtOnceWithByteArraysAndNoApplicationClasses() {
        Map<String, Object> definition = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "com.example.Audit",
                ProducerConfig.PARTITIONER_CLASS_CONFIG, "com.example.ByRegion",
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "com.example.OrderSerializer");

        Map<String, Object> writer = DefinitionTransactions.journalWriterConfig(definition);

        assertEquals(0, writer.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals("all", writer.get(ProducerConfig.ACKS_CONFIG), "acknowledged means replicated");
        assertEquals(ByteArraySerializer.class.getName(), writer.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG));
        assertEquals(ByteArraySerializer.class.getName(), writer.get(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG));
        assertFalse(writer.containsKey(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG));
        assertFalse(writer.containsKey(ProducerConfig.PARTITIONER_CLASS_CONFIG));
        assertEquals("broker:9092", writer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }
}
