package io.kafkara.tx;

import java.util.Objects;

import io.kafkara.engine.ProducerIdentity;

/**
 * What Kafka does not store and recovery needs: which Kafka transaction (transactional id, producer id, epoch) an XA
 * branch prepared, and when (for the warning before the broker's transaction.timeout.ms aborts it).
 */
public record PreparedBranch(BranchXid xid, String transactionalId, ProducerIdentity producer, long preparedAtMs) {

    public PreparedBranch {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(producer, "producer");
    }

    @Override
    public String toString() {
        return xid + " -> transactional id " + transactionalId + " (" + producer + ", prepared at " + preparedAtMs
                + ")";
    }
}
