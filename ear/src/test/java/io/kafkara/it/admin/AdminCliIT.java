package io.kafkara.it.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;

/**
 * The operator's setup in a real WildFly against the real broker: {@code src/cli/configure-kafka-ra.cli}, run by
 * {@code jboss-cli.sh} before the plain {@code kafka-ra.rar} is deployed on its own, binds two connection factories
 * that behave as configured: {@code java:/kafka/Strings} sends strings, {@code java:/kafka/Bytes} sends byte arrays,
 * and each refuses the other's type with an error naming its serializer. The tests run inside a separate WAR that
 * depends on {@code deployment.kafka-ra.rar}, like an application of the operator.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, ConfigureBeforeDeploy.class})
class AdminCliIT {

    private static final String STRINGS = "java:/kafka/Strings";
    private static final String BYTES = "java:/kafka/Bytes";
    private static final String STRING_SERIALIZER = "org.apache.kafka.common.serialization.StringSerializer";
    private static final String BYTE_ARRAY_SERIALIZER = "org.apache.kafka.common.serialization.ByteArraySerializer";

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Deployment(name = "application", order = 2)
    static WebArchive application() {
        return StandaloneAdapter.application("admin-cli-it", AdminCliIT.class);
    }

    @Test
    @OperateOnDeployment("application")
    void stringsSendsStringsThatAConsumerReadsBackUnchanged() throws Exception {
        String topic = "admin-strings-" + UUID.randomUUID();
        String value = "Grüße, 世界: not ASCII";

        RecordMetadata written;
        try (KafkaConnection kafka = factory(STRINGS).getConnection()) {
            written = kafka.send(new ProducerRecord<>(topic, "order-7", value)).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, String> read = readBack(written, new StringDeserializer());
        assertEquals("order-7", read.key());
        assertEquals(value, read.value());
    }

    @Test
    @OperateOnDeployment("application")
    void bytesSendsByteArraysThatAConsumerReadsBackUnchanged() throws Exception {
        String topic = "admin-bytes-" + UUID.randomUUID();
        // Not valid UTF-8: a String round trip would have changed these bytes.
        byte[] value = {0, (byte) 0xff, (byte) 0xc3, 0x28, 0x7f, (byte) 0x80};
        byte[] key = "order-8".getBytes(StandardCharsets.US_ASCII);

        RecordMetadata written;
        try (KafkaConnection kafka = factory(BYTES).getConnection()) {
            written = kafka.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<byte[], byte[]> read = readBack(written, new ByteArrayDeserializer());
        assertArrayEquals(key, read.key());
        assertArrayEquals(value, read.value());
    }

    @Test
    @OperateOnDeployment("application")
    void bytesRefusesAStringValueNamingItsSerializer() throws Exception {
        String topic = "admin-bytes-refused-" + UUID.randomUUID();
        try (KafkaConnection kafka = factory(BYTES).getConnection()) {
            SerializationException refused = assertThrows(SerializationException.class,
                    () -> kafka.send(new ProducerRecord<>(topic, "a string")));
            assertNamesSerializer(refused, "value.serializer = " + BYTE_ARRAY_SERIALIZER, "java.lang.String");
        }
    }

    @Test
    @OperateOnDeployment("application")
    void stringsRefusesAByteArrayValueNamingItsSerializer() throws Exception {
        String topic = "admin-strings-refused-" + UUID.randomUUID();
        try (KafkaConnection kafka = factory(STRINGS).getConnection()) {
            SerializationException refused = assertThrows(SerializationException.class,
                    () -> kafka.send(new ProducerRecord<>(topic, new byte[] {1, 2, 3})));
            assertNamesSerializer(refused, "value.serializer = " + STRING_SERIALIZER, "[B");
        }
    }

    private static void assertNamesSerializer(SerializationException refused, String setting, String type) {
        String message = refused.getMessage();
        assertTrue(message.contains(setting) && message.contains(type),
                "The error should name '" + setting + "' and the refused type " + type + ": " + message);
    }

    private static KafkaConnectionFactory factory(String jndiName) throws NamingException {
        return (KafkaConnectionFactory) new InitialContext().lookup(jndiName);
    }

    /** The record at {@code written}'s position, read by a plain consumer with {@code deserializer}. */
    private static <T> ConsumerRecord<T, T> readBack(RecordMetadata written, Deserializer<T> deserializer) {
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        try (KafkaConsumer<T, T> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap.servers")),
                deserializer, deserializer)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<T, T> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("The record at " + partition + "@" + written.offset() + " was not readable within 30 s");
    }
}
