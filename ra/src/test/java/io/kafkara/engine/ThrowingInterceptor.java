package io.kafkara.engine;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** An interceptor that fails on every call: the chain must go on without it. */
public class ThrowingInterceptor implements ProducerInterceptor<String, String> {

    @Override
    public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
        throw new IllegalStateException("interceptor bug on send");
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        throw new IllegalStateException("interceptor bug on acknowledgement");
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}
