package io.kafkara.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.kafka.common.serialization.Serializer;

/** An "application" serializer: upper-cases strings, so the test can see it was the one used. */
public class ShoutingSerializer implements Serializer<String> {

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }
}
