package io.kafkara.tx;

import org.apache.kafka.common.protocol.Errors;

/**
 * Ends a journaled branch at the transaction coordinator when no live engine holds it (after a crash or a fatal
 * producer error). Returns the coordinator's final answer; throws Kafka's exceptions when it could not be reached.
 */
@FunctionalInterface
public interface BranchCompleter {

    Errors end(PreparedBranch branch, boolean commit);
}
