package io.kafkara.spi;

import jakarta.resource.spi.ConfigProperty;

import io.kafkara.config.HandleSettings;
import io.kafkara.config.Level;
import io.kafkara.config.TransactionSettings;

/**
 * The config properties of a connection definition on top of the adapter-level ones it inherits: the commonly
 * used producer settings and {@code clientIdPrefix}. Any other producer setting goes into {@code producerProperties}.
 *
 * <p>Every property is a String, whatever Kafka's type: the management model holds strings anyway, and Kafka's own
 * parser then judges every value, so a wrong number gets the same message naming the key, the value and what is
 * allowed as a wrong entry in producerProperties, instead of a conversion failure in the container.
 *
 * <p>Not abstract, with a public no-argument constructor, only because Open Liberty reads the default of each config
 * property from a new instance of the class that declares it, superclasses included; the container configures
 * {@link KafkaManagedConnectionFactory}, never this class.
 */
public class ConnectionDefinitionProperties extends ResourceAdapterProperties {

    private static final long serialVersionUID = 1L;

    public ConnectionDefinitionProperties() {
        super(Level.CONNECTION_DEFINITION);
    }

    @ConfigProperty(description = "Prefix of the Kafka client.id of this definition's engines (<prefix>-<n>), as "
            + "seen in JMX metrics and logs")
    public void setClientIdPrefix(String value) {
        values.set("clientIdPrefix", value);
    }

    public String getClientIdPrefix() {
        return values.get("clientIdPrefix");
    }

    @ConfigProperty(description = "Kafka key.serializer: class name of the record key serializer (required)")
    public void setKeySerializer(String value) {
        values.set("keySerializer", value);
    }

    public String getKeySerializer() {
        return values.get("keySerializer");
    }

    @ConfigProperty(description = "Kafka value.serializer: class name of the record value serializer (required)")
    public void setValueSerializer(String value) {
        values.set("valueSerializer", value);
    }

    public String getValueSerializer() {
        return values.get("valueSerializer");
    }

    @ConfigProperty(description = "Kafka acks: acknowledgements the partition leader must have received before a send succeeds: all, -1, 0 or 1")
    public void setAcks(String value) {
        values.set("acks", value);
    }

    public String getAcks() {
        return values.get("acks");
    }

    @ConfigProperty(description = "Kafka enable.idempotence: true or false; true writes exactly one copy of each record per partition")
    public void setEnableIdempotence(String value) {
        values.set("enableIdempotence", value);
    }

    public String getEnableIdempotence() {
        return values.get("enableIdempotence");
    }

    @ConfigProperty(description = "Kafka linger.ms: milliseconds to wait for more records before a batch is sent")
    public void setLingerMs(String value) {
        values.set("lingerMs", value);
    }

    public String getLingerMs() {
        return values.get("lingerMs");
    }

    @ConfigProperty(description = "Kafka batch.size: upper bound in bytes of one partition's batch")
    public void setBatchSize(String value) {
        values.set("batchSize", value);
    }

    public String getBatchSize() {
        return values.get("batchSize");
    }

    @ConfigProperty(description = "Kafka compression.type: none, gzip, snappy, lz4 or zstd")
    public void setCompressionType(String value) {
        values.set("compressionType", value);
    }

    public String getCompressionType() {
        return values.get("compressionType");
    }

    @ConfigProperty(description = "Kafka buffer.memory: bytes the engine may hold for records waiting to be sent")
    public void setBufferMemory(String value) {
        values.set("bufferMemory", value);
    }

    public String getBufferMemory() {
        return values.get("bufferMemory");
    }

    @ConfigProperty(description = "Kafka max.request.size: maximum size in bytes of a request, and so of a record")
    public void setMaxRequestSize(String value) {
        values.set("maxRequestSize", value);
    }

    public String getMaxRequestSize() {
        return values.get("maxRequestSize");
    }

    @ConfigProperty(description = "Kafka max.block.ms: milliseconds send and partitionsFor may block waiting for metadata or buffer space")
    public void setMaxBlockMs(String value) {
        values.set("maxBlockMs", value);
    }

    public String getMaxBlockMs() {
        return values.get("maxBlockMs");
    }

    @ConfigProperty(description = "Kafka request.timeout.ms: milliseconds to wait for a broker's response")
    public void setRequestTimeoutMs(String value) {
        values.set("requestTimeoutMs", value);
    }

    public String getRequestTimeoutMs() {
        return values.get("requestTimeoutMs");
    }

    @ConfigProperty(description = "Kafka delivery.timeout.ms: upper bound in milliseconds on the time to report a send's success or failure")
    public void setDeliveryTimeoutMs(String value) {
        values.set("deliveryTimeoutMs", value);
    }

    public String getDeliveryTimeoutMs() {
        return values.get("deliveryTimeoutMs");
    }

    @ConfigProperty(description = "Kafka retries: how often a failed send is retried, within delivery.timeout.ms")
    public void setRetries(String value) {
        values.set("retries", value);
    }

    public String getRetries() {
        return values.get("retries");
    }

    @ConfigProperty(description = "Kafka retry.backoff.ms: milliseconds to wait before the first retry of a failed request")
    public void setRetryBackoffMs(String value) {
        values.set("retryBackoffMs", value);
    }

    public String getRetryBackoffMs() {
        return values.get("retryBackoffMs");
    }

    @ConfigProperty(description = "Kafka max.in.flight.requests.per.connection: unacknowledged requests per broker connection")
    public void setMaxInFlightRequestsPerConnection(String value) {
        values.set("maxInFlightRequestsPerConnection", value);
    }

    public String getMaxInFlightRequestsPerConnection() {
        return values.get("maxInFlightRequestsPerConnection");
    }

    @ConfigProperty(description = "Kafka partitioner.class: class name of a custom partitioner; unset uses Kafka's built-in partitioning")
    public void setPartitionerClass(String value) {
        values.set("partitionerClass", value);
    }

    public String getPartitionerClass() {
        return values.get("partitionerClass");
    }

    @ConfigProperty(description = "Kafka partitioner.ignore.keys: true to partition keyed records like records without key")
    public void setPartitionerIgnoreKeys(String value) {
        values.set("partitionerIgnoreKeys", value);
    }

    public String getPartitionerIgnoreKeys() {
        return values.get("partitionerIgnoreKeys");
    }

    @ConfigProperty(description = "Kafka interceptor.classes: class names of producer interceptors, comma separated")
    public void setInterceptorClasses(String value) {
        values.set("interceptorClasses", value);
    }

    public String getInterceptorClasses() {
        return values.get("interceptorClasses");
    }

    @ConfigProperty(description = "Kafka metadata.max.age.ms: milliseconds after which cluster metadata is refreshed in any case")
    public void setMetadataMaxAgeMs(String value) {
        values.set("metadataMaxAgeMs", value);
    }

    public String getMetadataMaxAgeMs() {
        return values.get("metadataMaxAgeMs");
    }

    @ConfigProperty(description = "Kafka connections.max.idle.ms: milliseconds after which idle broker connections are closed")
    public void setConnectionsMaxIdleMs(String value) {
        values.set("connectionsMaxIdleMs", value);
    }

    public String getConnectionsMaxIdleMs() {
        return values.get("connectionsMaxIdleMs");
    }

    @ConfigProperty(description = "Kafka client.dns.lookup: use_all_dns_ips or resolve_canonical_bootstrap_servers_only")
    public void setClientDnsLookup(String value) {
        values.set("clientDnsLookup", value);
    }

    public String getClientDnsLookup() {
        return values.get("clientDnsLookup");
    }

    @ConfigProperty(description = "Kafka transaction.timeout.ms: milliseconds the broker lets a transaction stay open")
    public void setTransactionTimeoutMs(String value) {
        values.set("transactionTimeoutMs", value);
    }

    public String getTransactionTimeoutMs() {
        return values.get("transactionTimeoutMs");
    }

    @ConfigProperty(description = "NoTransaction (default), LocalTransaction or XATransaction: how this definition takes part in JTA transactions; replaces the resource adapter's transaction-support")
    public void setTransactionSupportLevel(String value) {
        values.set(TransactionSettings.SUPPORT, value);
    }

    public String getTransactionSupportLevel() {
        return values.get(TransactionSettings.SUPPORT);
    }

    @ConfigProperty(description = "Prefix of the transactional ids (<prefix>-<node>-<slot>); required for LocalTransaction and XATransaction, unique per definition in the cluster")
    public void setTransactionalIdPrefix(String value) {
        values.set(TransactionSettings.ID_PREFIX, value);
    }

    public String getTransactionalIdPrefix() {
        return values.get(TransactionSettings.ID_PREFIX);
    }

    @ConfigProperty(description = "Node part of the transactional ids; defaults to the system property jboss.node.name")
    public void setTransactionalIdNode(String value) {
        values.set(TransactionSettings.NODE, value);
    }

    public String getTransactionalIdNode() {
        return values.get(TransactionSettings.NODE);
    }

    @ConfigProperty(description = "Number of transactional ids of this node: at least the pool's max-pool-size (default 20)")
    public void setTransactionalIdPoolSize(String value) {
        values.set(TransactionSettings.POOL_SIZE, value);
    }

    public String getTransactionalIdPoolSize() {
        return values.get(TransactionSettings.POOL_SIZE);
    }

    @ConfigProperty(description = "XATransaction: the existing compacted topic that records prepared branches for recovery")
    public void setBranchJournalTopic(String value) {
        values.set(TransactionSettings.JOURNAL_TOPIC, value);
    }

    public String getBranchJournalTopic() {
        return values.get(TransactionSettings.JOURNAL_TOPIC);
    }

    @ConfigProperty(description = "XATransaction: auto (default), required or off: whether to use a cluster's two-phase commit mode (prepared branches never expire)")
    public void setTwoPhaseCommitMode(String value) {
        values.set(TransactionSettings.TWO_PHASE_COMMIT_MODE, value);
    }

    public String getTwoPhaseCommitMode() {
        return values.get(TransactionSettings.TWO_PHASE_COMMIT_MODE);
    }

    @ConfigProperty(description = "LocalTransaction and XATransaction: how long, in milliseconds, a commit or rollback keeps retrying while the transaction coordinator does not answer, before its outcome is reported as unknown (default 120000)")
    public void setCommitTimeoutMs(String value) {
        values.set(TransactionSettings.COMMIT_TIMEOUT, value);
    }

    public String getCommitTimeoutMs() {
        return values.get(TransactionSettings.COMMIT_TIMEOUT);
    }

    @ConfigProperty(description = "true or false (default): record where each connection handle is obtained, so the warning about a handle lost without close() shows that stack")
    public void setLeakStackTraces(String value) {
        values.set(HandleSettings.LEAK_STACK_TRACES, value);
    }

    public String getLeakStackTraces() {
        return values.get(HandleSettings.LEAK_STACK_TRACES);
    }

    @ConfigProperty(description = "true (default) or false: where the server makes the OpenTelemetry API visible, each record carries the W3C traceparent header of the sending thread's current span, unless the application set one")
    public void setTraceContext(String value) {
        values.set(HandleSettings.TRACE_CONTEXT, value);
    }

    public String getTraceContext() {
        return values.get(HandleSettings.TRACE_CONTEXT);
    }
}
