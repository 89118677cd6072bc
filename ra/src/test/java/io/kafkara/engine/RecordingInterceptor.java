package io.kafkara.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** An interceptor (configured by class name) that tags each value and writes what it sees to a shared transcript. */
public class RecordingInterceptor implements ProducerInterceptor<String, String> {

    static final List<String> TRANSCRIPT = new CopyOnWriteArrayList<>();

    @Override
    public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
        TRANSCRIPT.add("onSend " + record.value());
        return new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value() + "+tagged");
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        TRANSCRIPT.add("ack " + metadata.partition() + "@" + metadata.offset() + (exception == null ? "" : " " + exception));
    }

    @Override
    public void close() {
        TRANSCRIPT.add("close");
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}
