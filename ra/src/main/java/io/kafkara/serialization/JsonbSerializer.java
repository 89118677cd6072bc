package io.kafkara.serialization;

import java.nio.charset.StandardCharsets;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a value (an application's POJO, a record, a map, a collection) as UTF-8 JSON with the server's Jakarta JSON
 * Binding implementation, so an application sends objects without writing a serializer:
 * {@code valueSerializer=io.kafkara.serialization.JsonbSerializer} (or {@code keySerializer}). {@code null} stays
 * {@code null} (a tombstone for a value).
 *
 * <p>One instance serves every application of a connection definition, so it keeps nothing of theirs: a JSON-B
 * implementation remembers what it learned about each class, so the {@link Jsonb} for a class is kept in that class
 * ({@link ClassValue}) and goes with its application.
 */
public class JsonbSerializer implements Serializer<Object> {

    private final ClassValue<Jsonb> jsonbPerClass = new ClassValue<>() {
        @Override
        protected Jsonb computeValue(Class<?> type) {
            return JsonbBuilder.create();
        }
    };

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        try {
            return jsonbPerClass.get(data.getClass()).toJson(data).getBytes(StandardCharsets.UTF_8);
        } catch (JsonbException e) {
            throw new SerializationException("JSON-B could not write a " + data.getClass().getName() + " for topic "
                    + topic + ": " + e.getMessage(), e);
        }
    }
}
