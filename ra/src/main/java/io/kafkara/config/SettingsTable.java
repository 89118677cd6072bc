package io.kafkara.config;

import static io.kafkara.config.Exposure.ADAPTER_DEFAULT;
import static io.kafkara.config.Exposure.DEFINITION;
import static io.kafkara.config.Exposure.PASS_THROUGH;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one table of Kafka producer settings: every key of {@code ProducerConfig.configNames()} is classified here
 * exactly once (a guard test fails when Kafka adds a key that is not). The config properties of the resource adapter
 * and of the connection definitions, their validation and the generated reference (src/docs/configuration.md) all
 * derive from it.
 */
public final class SettingsTable {

    /** The property holding any producer settings as {@code key=value} lines; on the adapter and on definitions. */
    public static final String PRODUCER_PROPERTIES = "producerProperties";
    /** Settings for the plug-ins only ({@link PluginProperties}). */
    public static final String PLUGIN_PROPERTIES = "pluginProperties";

    /** The definition's property naming its engines' client ids: {@code <prefix>-<n>}. Not a Kafka key. */
    public static final String CLIENT_ID_PREFIX = "clientIdPrefix";

    private static final List<Setting> ALL = Stream.of(
            of(DEFINITION, "key.serializer", "value.serializer", "acks", "enable.idempotence", "linger.ms",
                    "batch.size", "compression.type", "buffer.memory", "max.request.size", "max.block.ms",
                    "request.timeout.ms", "delivery.timeout.ms", "retries", "retry.backoff.ms",
                    "max.in.flight.requests.per.connection", "partitioner.class", "partitioner.ignore.keys",
                    "interceptor.classes", "metadata.max.age.ms", "connections.max.idle.ms", "client.dns.lookup",
                    "transaction.timeout.ms"),
            of(ADAPTER_DEFAULT, "bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config",
                    "sasl.kerberos.service.name", "sasl.client.callback.handler.class",
                    "sasl.login.callback.handler.class", "ssl.truststore.location", "ssl.truststore.password",
                    "ssl.truststore.type", "ssl.truststore.certificates", "ssl.keystore.location",
                    "ssl.keystore.password", "ssl.keystore.type", "ssl.keystore.key", "ssl.keystore.certificate.chain",
                    "ssl.key.password", "ssl.endpoint.identification.algorithm", "ssl.protocol",
                    "ssl.enabled.protocols"),
            of(PASS_THROUGH, "compression.gzip.level", "compression.lz4.level", "compression.zstd.level",
                    "enable.metrics.push", "metadata.max.idle.ms", "metadata.recovery.rebootstrap.trigger.ms",
                    "metadata.recovery.strategy", "metric.reporters", "metrics.num.samples", "metrics.recording.level",
                    "metrics.sample.window.ms", "partitioner.adaptive.partitioning.enable",
                    "partitioner.availability.timeout.ms", "receive.buffer.bytes", "reconnect.backoff.max.ms",
                    "reconnect.backoff.ms", "retry.backoff.max.ms", "send.buffer.bytes",
                    "socket.connection.setup.timeout.max.ms", "socket.connection.setup.timeout.ms",
                    "security.providers"),
            of(PASS_THROUGH, "sasl.kerberos.kinit.cmd", "sasl.kerberos.min.time.before.relogin",
                    "sasl.kerberos.ticket.renew.jitter", "sasl.kerberos.ticket.renew.window.factor", "sasl.login.class",
                    "sasl.login.connect.timeout.ms", "sasl.login.read.timeout.ms", "sasl.login.refresh.buffer.seconds",
                    "sasl.login.refresh.min.period.seconds", "sasl.login.refresh.window.factor",
                    "sasl.login.refresh.window.jitter", "sasl.login.retry.backoff.max.ms",
                    "sasl.login.retry.backoff.ms"),
            of(PASS_THROUGH, "sasl.oauthbearer.assertion.algorithm", "sasl.oauthbearer.assertion.claim.aud",
                    "sasl.oauthbearer.assertion.claim.exp.seconds", "sasl.oauthbearer.assertion.claim.iss",
                    "sasl.oauthbearer.assertion.claim.jti.include", "sasl.oauthbearer.assertion.claim.nbf.seconds",
                    "sasl.oauthbearer.assertion.claim.sub", "sasl.oauthbearer.assertion.file",
                    "sasl.oauthbearer.assertion.private.key.file", "sasl.oauthbearer.assertion.private.key.passphrase",
                    "sasl.oauthbearer.assertion.template.file", "sasl.oauthbearer.client.credentials.client.id",
                    "sasl.oauthbearer.client.credentials.client.secret", "sasl.oauthbearer.clock.skew.seconds",
                    "sasl.oauthbearer.expected.audience", "sasl.oauthbearer.expected.issuer",
                    "sasl.oauthbearer.header.urlencode", "sasl.oauthbearer.jwks.endpoint.refresh.ms",
                    "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
                    "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", "sasl.oauthbearer.jwks.endpoint.url",
                    "sasl.oauthbearer.jwt.retriever.class", "sasl.oauthbearer.jwt.validator.class",
                    "sasl.oauthbearer.scope", "sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.sub.claim.name",
                    "sasl.oauthbearer.token.endpoint.url"),
            of(PASS_THROUGH, "ssl.cipher.suites", "ssl.engine.factory.class", "ssl.keymanager.algorithm",
                    "ssl.provider", "ssl.secure.random.implementation", "ssl.trustmanager.algorithm"),
            Stream.of(
                    Setting.notExposed("client.id", "The adapter names every engine uniquely and readably in JMX and "
                            + "logs: <clientIdPrefix>-<n>. Set the connection definition's clientIdPrefix instead."),
                    Setting.notExposed("transactional.id", "The adapter owns the transactional ids of its engines "
                            + "(one per transactional engine, from a stable per-node pool), so that a restarted "
                            + "server fences its own zombies."),
                    Setting.notExposed("transaction.two.phase.commit.enable", "Part of the adapter's XA support, "
                            + "which decides it from the connection definition's transaction support."),
                    Setting.notExposed("config.providers", "The server resolves values already: use expressions "
                            + "(${env.NAME}, ${system.property}) or a credential store in the config properties.")))
            .flatMap(settings -> settings)
            .toList();

    private static final Map<String, Setting> BY_KEY = index(ALL, Setting::key);
    private static final Map<String, Setting> BY_PROPERTY = index(ALL.stream()
            .filter(setting -> setting.exposure() == DEFINITION || setting.exposure() == ADAPTER_DEFAULT)
            .toList(), Setting::property);

    private SettingsTable() {
    }

    /** Every setting, in the table's order. */
    static List<Setting> all() {
        return ALL;
    }

    static Optional<Setting> forKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The setting behind a typed JavaBean property, if the name is one. */
    static Optional<Setting> forProperty(String property) {
        return Optional.ofNullable(BY_PROPERTY.get(property));
    }

    /** The settings with a JavaBean property at this level. */
    static List<Setting> propertiesAt(Level level) {
        return ALL.stream().filter(setting -> setting.isPropertyAt(level)).toList();
    }

    /** Every JavaBean config property at this level: the typed settings and the adapter's own properties. */
    static List<String> propertyNamesAt(Level level) {
        List<String> names = new ArrayList<>();
        propertiesAt(level).forEach(setting -> names.add(setting.property()));
        names.add(PRODUCER_PROPERTIES);
        names.add(PLUGIN_PROPERTIES);
        names.addAll((level == Level.CONNECTION_DEFINITION ? OwnSettings.CONNECTION_DEFINITION
                : OwnSettings.RESOURCE_ADAPTER).names());
        return names;
    }

    private static Stream<Setting> of(Exposure exposure, String... keys) {
        return Stream.of(keys).map(key -> Setting.of(key, exposure));
    }

    private static Map<String, Setting> index(List<Setting> settings, java.util.function.Function<Setting, String> name) {
        Map<String, Setting> index = new LinkedHashMap<>();
        for (Setting setting : settings) {
            if (index.put(name.apply(setting), setting) != null) {
                throw new IllegalStateException("Classified twice: " + name.apply(setting));
            }
        }
        return Map.copyOf(index);
    }
}
