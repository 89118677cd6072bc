package io.kafkara.spi;

import jakarta.resource.spi.ManagedConnectionMetaData;

import io.kafkara.engine.kafka.KafkaClientVersion;

/** What the container shows about a pooled connection: the Kafka client version and the engine's client id. */
final class KafkaManagedConnectionMetaData implements ManagedConnectionMetaData {

    private final String clientId;

    KafkaManagedConnectionMetaData(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String getEISProductName() {
        return "Apache Kafka";
    }

    @Override
    public String getEISProductVersion() {
        return KafkaClientVersion.current();
    }

    /** No limit of our own: the container's pool settings bound the number of connections. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    /** Kafka authenticates the client (SASL/TLS), not a user per connection; the client id identifies it. */
    @Override
    public String getUserName() {
        return clientId;
    }
}
