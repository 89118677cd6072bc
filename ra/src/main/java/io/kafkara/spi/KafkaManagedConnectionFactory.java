package io.kafkara.spi;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.engine.ProducerEngine;

/**
 * One connection definition: the producer settings an administrator configured for one JNDI name. Its
 * connections share one engine (one sender loop, one memory budget); the engine is created with the first
 * connection.
 */
@ConnectionDefinition(
        connectionFactory = KafkaConnectionFactory.class,
        connectionFactoryImpl = KafkaConnectionFactoryImpl.class,
        connection = KafkaConnection.class,
        connectionImpl = KafkaConnectionImpl.class)
public class KafkaManagedConnectionFactory
        implements ManagedConnectionFactory, ValidatingManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    @ConfigProperty(description = "Kafka bootstrap.servers: host:port pairs of the brokers to connect to, comma separated")
    private String bootstrapServers;

    @ConfigProperty(description = "Kafka key.serializer: class name of the record key serializer")
    private String keySerializer;

    @ConfigProperty(description = "Kafka value.serializer: class name of the record value serializer")
    private String valueSerializer;

    private transient KafkaResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient ProducerEngine sharedEngine;

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getKeySerializer() {
        return keySerializer;
    }

    public void setKeySerializer(String keySerializer) {
        this.keySerializer = keySerializer;
    }

    public String getValueSerializer() {
        return valueSerializer;
    }

    public void setValueSerializer(String valueSerializer) {
        this.valueSerializer = valueSerializer;
    }

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        return new KafkaConnectionFactoryImpl(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException("The Kafka resource adapter needs a Jakarta EE container: "
                + "deploy it and look the connection factory up in JNDI");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        return new KafkaManagedConnection(this, ConnectionCredential.of(subject, this), sharedEngine());
    }

    /**
     * Connections of one definition share its engine, so a pooled connection serves a request when it was made by
     * a factory with the same settings, for the same credential, and its engine still runs; otherwise none does.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        ConnectionCredential requested = ConnectionCredential.of(subject, this);
        for (Object candidate : candidates) {
            if (candidate instanceof KafkaManagedConnection connection && connection.matches(this, requested)) {
                return connection;
            }
        }
        return null;
    }

    /** Lets the pool replace connections whose engine stopped (its sender Work ended): they can never send again. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connections) {
        Set invalid = new HashSet<>();
        for (Object candidate : connections) {
            if (candidate instanceof KafkaManagedConnection connection && !connection.isUsable()) {
                invalid.add(connection);
            }
        }
        return invalid;
    }

    private synchronized ProducerEngine sharedEngine() throws ResourceException {
        if (sharedEngine == null || !sharedEngine.isAlive()) {
            KafkaResourceAdapter adapter = adapter();
            Map<String, Object> config = producerConfig(adapter.nextClientId("kafka-ra"));
            sharedEngine = adapter.engines().launch(config, Thread.currentThread().getContextClassLoader());
        }
        return sharedEngine;
    }

    /** Only what the administrator set, so Kafka's own defaults apply to everything else. */
    private Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = new LinkedHashMap<>();
        putIfSet(config, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        putIfSet(config, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, keySerializer);
        putIfSet(config, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private static void putIfSet(Map<String, Object> config, String key, String value) {
        if (value != null && !value.isBlank()) {
            config.put(key, value.trim());
        }
    }

    private KafkaResourceAdapter adapter() throws ResourceException {
        if (resourceAdapter == null) {
            throw new ResourceException("This connection definition is not associated with a started Kafka resource adapter");
        }
        return resourceAdapter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof KafkaResourceAdapter kafkaAdapter)) {
            throw new ResourceException("Expected the Kafka resource adapter, got " + adapter);
        }
        this.resourceAdapter = kafkaAdapter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaManagedConnectionFactory that
                && Objects.equals(bootstrapServers, that.bootstrapServers)
                && Objects.equals(keySerializer, that.keySerializer)
                && Objects.equals(valueSerializer, that.valueSerializer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrapServers, keySerializer, valueSerializer);
    }
}
