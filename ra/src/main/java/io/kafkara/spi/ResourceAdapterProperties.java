package io.kafkara.spi;

import jakarta.resource.spi.ConfigProperty;

import io.kafkara.config.Level;
import io.kafkara.config.SettingValues;

/**
 * The config properties shared by the resource adapter and every connection definition: the brokers, the security
 * settings and {@code producerProperties}. Set on the adapter, they are defaults that each definition inherits; a
 * definition may override any of them. Each accessor only stores the value as given: the Kafka key and its
 * validation come from {@code io.kafkara.config.SettingsTable}, whose tests keep these properties and the table equal.
 *
 * <p>Not abstract, with a public no-argument constructor, only because Open Liberty reads the default of each config
 * property from a new instance of the class that declares it, superclasses included (its annotation processor calls
 * {@code getConstructor().newInstance()}); the container configures {@link KafkaResourceAdapter} and
 * {@link KafkaManagedConnectionFactory}, never this class.
 */
public class ResourceAdapterProperties implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What the administrator set on this bean, by property name. */
    protected final SettingValues values;

    /** For reading the properties' defaults (none: every getter answers null). */
    public ResourceAdapterProperties() {
        this(Level.RESOURCE_ADAPTER);
    }

    ResourceAdapterProperties(Level level) {
        this.values = new SettingValues(level);
    }

    /** The values set on this bean (the container sets them before it uses the bean). */
    SettingValues settingValues() {
        return values;
    }

    @ConfigProperty(description = "Any Kafka producer settings as key=value lines, or entries separated by ';' on "
            + "one line; '#' starts a comment line. On the resource adapter: defaults of every connection definition. "
            + "Secrets are better set with their own confidential property.")
    public void setProducerProperties(String value) {
        values.set("producerProperties", value);
    }

    public String getProducerProperties() {
        return values.get("producerProperties");
    }

    @ConfigProperty(description = "Settings for the serializers, partitioner and interceptors only, as key=value "
            + "lines like producerProperties (e.g. schema.registry.url): passed to their configure() with the producer "
            + "settings, not checked by Kafka; a Kafka producer setting is refused here. On the resource adapter: "
            + "defaults of every connection definition. Values of keys naming a password, secret, token, credential "
            + "or JAAS are never printed.")
    public void setPluginProperties(String value) {
        values.set("pluginProperties", value);
    }

    public String getPluginProperties() {
        return values.get("pluginProperties");
    }

    @ConfigProperty(description = "Kafka bootstrap.servers: host:port pairs of the brokers to connect to first, comma separated")
    public void setBootstrapServers(String value) {
        values.set("bootstrapServers", value);
    }

    public String getBootstrapServers() {
        return values.get("bootstrapServers");
    }

    @ConfigProperty(description = "Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    public void setSecurityProtocol(String value) {
        values.set("securityProtocol", value);
    }

    public String getSecurityProtocol() {
        return values.get("securityProtocol");
    }

    @ConfigProperty(description = "Kafka sasl.mechanism: the SASL mechanism, e.g. PLAIN, SCRAM-SHA-512, OAUTHBEARER, GSSAPI")
    public void setSaslMechanism(String value) {
        values.set("saslMechanism", value);
    }

    public String getSaslMechanism() {
        return values.get("saslMechanism");
    }

    @ConfigProperty(description = "Kafka sasl.jaas.config: the JAAS login module configuration (secret)", confidential = true)
    public void setSaslJaasConfig(String value) {
        values.set("saslJaasConfig", value);
    }

    public String getSaslJaasConfig() {
        return values.get("saslJaasConfig");
    }

    @ConfigProperty(description = "Kafka sasl.kerberos.service.name: the Kerberos principal name the brokers run as")
    public void setSaslKerberosServiceName(String value) {
        values.set("saslKerberosServiceName", value);
    }

    public String getSaslKerberosServiceName() {
        return values.get("saslKerberosServiceName");
    }

    @ConfigProperty(description = "Kafka sasl.client.callback.handler.class: class name of the SASL client callback handler")
    public void setSaslClientCallbackHandlerClass(String value) {
        values.set("saslClientCallbackHandlerClass", value);
    }

    public String getSaslClientCallbackHandlerClass() {
        return values.get("saslClientCallbackHandlerClass");
    }

    @ConfigProperty(description = "Kafka sasl.login.callback.handler.class: class name of the SASL login callback handler")
    public void setSaslLoginCallbackHandlerClass(String value) {
        values.set("saslLoginCallbackHandlerClass", value);
    }

    public String getSaslLoginCallbackHandlerClass() {
        return values.get("saslLoginCallbackHandlerClass");
    }

    @ConfigProperty(description = "Kafka ssl.truststore.location: path of the trust store file")
    public void setSslTruststoreLocation(String value) {
        values.set("sslTruststoreLocation", value);
    }

    public String getSslTruststoreLocation() {
        return values.get("sslTruststoreLocation");
    }

    @ConfigProperty(description = "Kafka ssl.truststore.password: password of the trust store (secret)", confidential = true)
    public void setSslTruststorePassword(String value) {
        values.set("sslTruststorePassword", value);
    }

    public String getSslTruststorePassword() {
        return values.get("sslTruststorePassword");
    }

    @ConfigProperty(description = "Kafka ssl.truststore.type: format of the trust store, e.g. JKS, PKCS12 or PEM")
    public void setSslTruststoreType(String value) {
        values.set("sslTruststoreType", value);
    }

    public String getSslTruststoreType() {
        return values.get("sslTruststoreType");
    }

    @ConfigProperty(description = "Kafka ssl.truststore.certificates: trusted certificates in PEM format (secret)", confidential = true)
    public void setSslTruststoreCertificates(String value) {
        values.set("sslTruststoreCertificates", value);
    }

    public String getSslTruststoreCertificates() {
        return values.get("sslTruststoreCertificates");
    }

    @ConfigProperty(description = "Kafka ssl.keystore.location: path of the key store file, for client authentication")
    public void setSslKeystoreLocation(String value) {
        values.set("sslKeystoreLocation", value);
    }

    public String getSslKeystoreLocation() {
        return values.get("sslKeystoreLocation");
    }

    @ConfigProperty(description = "Kafka ssl.keystore.password: password of the key store (secret)", confidential = true)
    public void setSslKeystorePassword(String value) {
        values.set("sslKeystorePassword", value);
    }

    public String getSslKeystorePassword() {
        return values.get("sslKeystorePassword");
    }

    @ConfigProperty(description = "Kafka ssl.keystore.type: format of the key store, e.g. JKS, PKCS12 or PEM")
    public void setSslKeystoreType(String value) {
        values.set("sslKeystoreType", value);
    }

    public String getSslKeystoreType() {
        return values.get("sslKeystoreType");
    }

    @ConfigProperty(description = "Kafka ssl.keystore.key: private key in PEM format (secret)", confidential = true)
    public void setSslKeystoreKey(String value) {
        values.set("sslKeystoreKey", value);
    }

    public String getSslKeystoreKey() {
        return values.get("sslKeystoreKey");
    }

    @ConfigProperty(description = "Kafka ssl.keystore.certificate.chain: certificate chain in PEM format (secret)", confidential = true)
    public void setSslKeystoreCertificateChain(String value) {
        values.set("sslKeystoreCertificateChain", value);
    }

    public String getSslKeystoreCertificateChain() {
        return values.get("sslKeystoreCertificateChain");
    }

    @ConfigProperty(description = "Kafka ssl.key.password: password of the private key (secret)", confidential = true)
    public void setSslKeyPassword(String value) {
        values.set("sslKeyPassword", value);
    }

    public String getSslKeyPassword() {
        return values.get("sslKeyPassword");
    }

    @ConfigProperty(description = "Kafka ssl.endpoint.identification.algorithm: https checks the broker's host name (an empty value, which disables the check, can be given in producerProperties)")
    public void setSslEndpointIdentificationAlgorithm(String value) {
        values.set("sslEndpointIdentificationAlgorithm", value);
    }

    public String getSslEndpointIdentificationAlgorithm() {
        return values.get("sslEndpointIdentificationAlgorithm");
    }

    @ConfigProperty(description = "Kafka ssl.protocol: the TLS protocol of the SSL context")
    public void setSslProtocol(String value) {
        values.set("sslProtocol", value);
    }

    public String getSslProtocol() {
        return values.get("sslProtocol");
    }

    @ConfigProperty(description = "Kafka ssl.enabled.protocols: the TLS protocols enabled, comma separated")
    public void setSslEnabledProtocols(String value) {
        values.set("sslEnabledProtocols", value);
    }

    public String getSslEnabledProtocols() {
        return values.get("sslEnabledProtocols");
    }
}
