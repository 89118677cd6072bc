package shop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;

/**
 * An application's own serializer: every application of ManyApplicationsIT packs a class of this name, with its
 * own {@code marker.txt} (the application and its deployment's generation), and each record it writes starts with
 * that marker, so the record shows whose class served it. It needs a setting Kafka does not know,
 * {@value #PREFIX}, which only the definition's pluginProperties give it: without it configure() fails.
 */
public class MarkerSerializer implements Serializer<String> {

    public static final String PREFIX = "shop.marker.prefix";
    private String prefix;
    private final String marker = marker(MarkerSerializer.class);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object value = configs.get(PREFIX);
        if (value == null) {
            throw new IllegalStateException(PREFIX + " is not set: pluginProperties did not reach configure()");
        }
        prefix = value.toString();
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : (prefix + ":" + marker + ":" + data).getBytes(StandardCharsets.UTF_8);
    }

    /** The marker.txt of the deployment that loaded {@code type}. */
    public static String marker(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream("marker.txt")) {
            if (in == null) {
                throw new IllegalStateException("marker.txt is missing from the deployment of " + type.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
