package io.kafkara.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form Kafka requires of {@code bootstrap.servers}, checked when a definition is activated: Kafka's ConfigDef
 * only sees a list, and the producer itself refuses a malformed address ("Invalid url in bootstrap.servers") only
 * when its first engine is built. Each comma-separated entry is {@code host:port} or {@code [ipv6]:port}, optionally
 * after a listener name ({@code SASL_SSL://host:port}), with a port from 1 to 65535. Whether the host resolves is
 * left to Kafka: a name that does not resolve now may resolve later.
 */
final class BootstrapServersRule {

    private static final Pattern ENTRY = Pattern.compile(
            "(?:[A-Za-z][A-Za-z0-9_+.-]*://)?(?:\\[([0-9A-Fa-f:.%a-z]+)\\]|([A-Za-z0-9._%-]+)):([0-9]{1,5})");
    private static final int HIGHEST_PORT = 65535;

    private BootstrapServersRule() {
    }

    /** Why the value is not a list of broker addresses, or empty when it is. */
    static Optional<String> problem(String value) {
        List<String> wrong = new ArrayList<>();
        int entries = 0;
        for (String raw : value.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            entries++;
            Matcher matcher = ENTRY.matcher(entry);
            if (!matcher.matches() || Integer.parseInt(matcher.group(3)) < 1
                    || Integer.parseInt(matcher.group(3)) > HIGHEST_PORT) {
                wrong.add("'" + entry + "'");
            }
        }
        if (entries == 0) {
            return Optional.of("names no broker; give host:port entries separated by commas, for example "
                    + "broker1:9092,broker2:9092");
        }
        if (!wrong.isEmpty()) {
            return Optional.of(String.join(", ", wrong) + (wrong.size() == 1 ? " is" : " are")
                    + " not host:port with a port from 1 to " + HIGHEST_PORT + "; give host:port entries separated "
                    + "by commas, for example broker1:9092,broker2:9092");
        }
        return Optional.empty();
    }
}
