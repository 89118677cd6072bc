package io.kafkara.it.config;

import java.util.Map;

import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * The management operations an administrator's console or CLI runs to configure the adapter in the
 * resource-adapters subsystem: a resource adapter for an archive, its config properties, and connection
 * definitions with theirs.
 */
public final class AdapterConfiguration {

    private final String name;
    private final Operations.CompositeOperationBuilder steps = Operations.CompositeOperationBuilder.create();

    private AdapterConfiguration(String name) {
        this.name = name;
    }

    private AdapterConfiguration(String name, String archive, String transactionSupport, String bootstrapContext) {
        this(name);
        ModelNode add = Operations.createAddOperation(adapter());
        add.get("archive").set(archive);
        add.get("transaction-support").set(transactionSupport);
        if (bootstrapContext != null) {
            add.get("bootstrap-context").set(bootstrapContext);
        }
        steps.addStep(add);
    }

    /** A resource adapter entry named {@code name} for the deployment (or {@code ear#rar}) {@code archive}. */
    public static AdapterConfiguration forArchive(String name, String archive) {
        return new AdapterConfiguration(name, archive, "NoTransaction", null);
    }

    /** As {@link #forArchive}, for an adapter whose definitions may be XA (only such an adapter gets XA pools). */
    public static AdapterConfiguration forXaArchive(String name, String archive) {
        return new AdapterConfiguration(name, archive, "XATransaction", null);
    }

    /** As {@link #forXaArchive}, running its Work on the work manager of the jca subsystem's {@code bootstrapContext}. */
    public static AdapterConfiguration forXaArchive(String name, String archive, String bootstrapContext) {
        return new AdapterConfiguration(name, archive, "XATransaction", bootstrapContext);
    }

    /** More definitions for the resource adapter entry {@code name} that already exists. */
    public static AdapterConfiguration existing(String name) {
        return new AdapterConfiguration(name);
    }

    public AdapterConfiguration adapterProperties(Map<String, String> properties) {
        properties.forEach((property, value) -> steps.addStep(property(adapter(), property, value)));
        return this;
    }

    public AdapterConfiguration definition(String poolName, String jndiName, Map<String, String> properties) {
        return definition(poolName, jndiName, Map.of(), properties);
    }

    /** A definition with attributes of its own (pool sizes, recovery credentials) besides its config properties. */
    public AdapterConfiguration definition(String poolName, String jndiName, Map<String, String> attributes,
                                    Map<String, String> properties) {
        ModelNode definition = definitionAddress(poolName);
        ModelNode add = Operations.createAddOperation(definition);
        add.get("class-name").set("io.kafkara.spi.KafkaManagedConnectionFactory");
        add.get("jndi-name").set(jndiName);
        attributes.forEach((attribute, value) -> add.get(attribute).set(value));
        steps.addStep(add);
        properties.forEach((property, value) -> steps.addStep(property(definition, property, value)));
        return this;
    }

    public ModelNode operation() {
        return steps.build().getOperation();
    }

    ModelNode adapter() {
        return adapterAddress(name);
    }

    public static ModelNode adapterAddress(String name) {
        return Operations.createAddress("subsystem", "resource-adapters", "resource-adapter", name);
    }

    ModelNode definitionAddress(String poolName) {
        ModelNode address = adapter().clone();
        address.add("connection-definitions", poolName);
        return address;
    }

    public static ModelNode propertyAddress(ModelNode owner, String property) {
        ModelNode address = owner.clone();
        address.add("config-properties", property);
        return address;
    }

    private static ModelNode property(ModelNode owner, String property, String value) {
        ModelNode add = Operations.createAddOperation(propertyAddress(owner, property));
        add.get("value").set(value);
        return add;
    }
}
