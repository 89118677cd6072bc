package io.kafkara.engine.app;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serializer;

/**
 * An application's serializer: each application (each {@link io.kafkara.engine.ApplicationLoader}) has its own copy
 * of this class, and the value it writes names the loader, so a test sees whose class served a record.
 */
public class GenerationSerializer implements Serializer<String> {

    @Override
    public byte[] serialize(String topic, String data) {
        return (getClass().getClassLoader().getName() + ":" + data).getBytes(StandardCharsets.UTF_8);
    }
}
