package io.kafkara.engine;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;

/** A serializer with a setting of its own, as a registry-backed one has: it refuses to work without it. */
public class MarkerSerializer implements Serializer<String> {

    static final String MARKER = "shop.marker";
    private String marker;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object value = configs.get(MARKER);
        if (value == null) {
            throw new IllegalStateException(MARKER + " is not set: this serializer needs it");
        }
        marker = value.toString();
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return (marker + ":" + data).getBytes(StandardCharsets.UTF_8);
    }
}
