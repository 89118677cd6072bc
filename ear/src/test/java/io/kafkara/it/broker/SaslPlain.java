package io.kafkara.it.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * SASL/PLAIN on the client listener: the broker knows a fixed set of users and passwords, and the
 * launcher itself (readiness probe) connects as the admin user, who is also the broker's own
 * identity on that listener. The controller listener stays PLAINTEXT: only the nodes use it.
 */
record SaslPlain(String adminUser, String adminPassword, Map<String, String> users) {

    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    SaslPlain {
        check("admin user", adminUser);
        check("admin password", adminPassword);
        users.forEach((user, password) -> {
            check("user name", user);
            check("password of user " + user, password);
        });
        users = Map.copyOf(users);
    }

    /** The protocol of the listener named PLAINTEXT, which the launcher keeps as the client listener's name. */
    static String clientProtocol(SaslPlain sasl) {
        return sasl == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
    }

    Map<String, String> brokerSettings() {
        StringBuilder jaas = new StringBuilder(LOGIN_MODULE).append(" required")
                .append(" username=\"").append(adminUser).append('"')
                .append(" password=\"").append(adminPassword).append('"')
                .append(" user_").append(adminUser).append("=\"").append(adminPassword).append('"');
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        jaas.append(';');
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        settings.put("listener.name.plaintext.plain.sasl.jaas.config", jaas.toString());
        return settings;
    }

    /** What a client needs besides bootstrap.servers to connect as {@code user}. */
    static Map<String, String> clientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", LOGIN_MODULE + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    /** Quotes, semicolons and backslashes would end or escape the JAAS option; a test never needs them. */
    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '"' || c == ';' || c == '\\' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("The " + what + " must be non-empty and free of quotes, semicolons, "
                    + "backslashes and white space, to fit into a JAAS configuration unescaped");
        }
    }
}
