package io.kafkara.it.pooling;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * WildFly's pool statistics of a connection definition, as an administrator reads them
 * ({@code .../connection-definitions=<name>/statistics=pool:read-resource(include-runtime=true)}).
 */
final class PoolStatistics {

    /** Attributes worth a line in a message. */
    private static final List<String> SUMMARY = List.of("ActiveCount", "AvailableCount", "InUseCount", "IdleCount",
            "CreatedCount", "DestroyedCount", "TimedOut");

    private final ManagementClient management;
    private final ModelNode address;

    PoolStatistics(ManagementClient management, ModelNode definition) {
        this.management = management;
        this.address = definition.clone().add("statistics", "pool");
    }

    /**
     * Turns statistics on: WildFly answers zeros while they are off. Turned on after deployment they still count the
     * connections made since the pool started (the prefilled one included). The definition's own statistics-enabled
     * attribute left them off in our WildFly 39 runs.
     */
    void enable() throws Exception {
        execute(Operations.createWriteAttributeOperation(address, "statistics-enabled", true));
    }

    /**
     * Reads the statistics until {@code condition} holds, once a second for at most {@code limit}; fails naming
     * {@code expectation} and the last figures.
     */
    ModelNode await(Predicate<ModelNode> condition, Duration limit, String expectation) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            ModelNode now = read();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(expectation + " within " + limit + ": " + summary());
            }
            // A pause in a bounded poll; IronJacamar's idle remover itself wakes only every 30 s.
            TimeUnit.SECONDS.sleep(1);
        }
    }

    ModelNode read() throws Exception {
        ModelNode read = Operations.createReadResourceOperation(address);
        read.get("include-runtime").set(true);
        return execute(read);
    }

    String summary() throws Exception {
        ModelNode now = read();
        StringBuilder text = new StringBuilder();
        for (String name : SUMMARY) {
            text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(now.get(name).asString());
        }
        return text.toString();
    }

    private ModelNode execute(ModelNode operation) throws Exception {
        ModelNode result = management.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException("Management operation failed: " + operation + " -> "
                    + Operations.getFailureDescription(result));
        }
        return Operations.readResult(result);
    }
}
