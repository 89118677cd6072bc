package io.kafkara.config;

/** How the adapter exposes one Kafka producer setting. Every key of {@code ProducerConfig} has exactly one. */
public enum Exposure {

    /** A config property of the connection definition (its JavaBean property on the managed connection factory). */
    DEFINITION,

    /**
     * A config property of the resource adapter, inherited by every connection definition, which may override it
     * with its own property of the same name: the brokers and the security settings, usually the same for all.
     */
    ADAPTER_DEFAULT,

    /** Set only as a {@code key=value} line of the {@code producerProperties} property (adapter or definition). */
    PASS_THROUGH,

    /** Not settable: the adapter owns it; {@link Setting#reason()} says why. */
    NOT_EXPOSED
}
