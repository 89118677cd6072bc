package io.kafkara.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A POJO goes out as the JSON a plain consumer expects; null stays a tombstone; a failure names type and topic. */
class JsonbSerializerTest {

    /** An application's POJO, as JSON-B maps one: public properties. */
    public static class Order {
        public String id;
        public int quantity;
        public List<String> items;
    }

    /** JSON-B cannot write a property whose getter throws. */
    public static class Broken {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    private final JsonbSerializer serializer = new JsonbSerializer();

    @Test
    void aPojoIsWrittenAsUtf8Json() {
        Order order = new Order();
        order.id = "order-42";
        order.quantity = 3;
        order.items = List.of("tea", "café");

        String json = new String(serializer.serialize("orders", order), StandardCharsets.UTF_8);

        assertEquals("{\"id\":\"order-42\",\"items\":[\"tea\",\"café\"],\"quantity\":3}", json);
    }

    @Test
    void nullStaysNull() {
        assertNull(serializer.serialize("orders", null));
    }

    @Test
    void aValueJsonbCannotWriteIsASerializationExceptionNamingTypeAndTopic() {
        SerializationException refused = assertThrows(SerializationException.class,
                () -> serializer.serialize("orders", new Broken()));
        assertTrue(refused.getMessage().contains(Broken.class.getName()) && refused.getMessage().contains("orders"),
                refused.getMessage());
    }
}
