package io.kafkara.engine;

/**
 * A producer id and epoch as the transaction coordinator knows them: with the transactional id, what another process
 * needs to end a prepared transaction (EndTxn) after the engine that prepared it is gone.
 */
public record ProducerIdentity(long producerId, short epoch) {

    public ProducerIdentity {
        if (producerId < 0 || epoch < 0) {
            throw new IllegalArgumentException("Not a valid producer identity: producerId=" + producerId + ", epoch="
                    + epoch);
        }
    }

    @Override
    public String toString() {
        return "producerId=" + producerId + ", epoch=" + epoch;
    }
}
