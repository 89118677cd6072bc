package io.kafkara.engine.kafka;

/**
 * What the transaction coordinator reports about a transactional id (DescribeTransactions): the state's name as Kafka
 * spells it ({@code Ongoing}, {@code PrepareCommit}, {@code CompleteCommit}, {@code PrepareAbort},
 * {@code CompleteAbort}, {@code Empty}, ...) and the producer id and epoch it holds now.
 */
public record CoordinatorTransaction(String state, long producerId, short epoch) {

    /** The coordinator decided to commit (committing or committed). */
    public boolean committed() {
        return state.equals("PrepareCommit") || state.equals("CompleteCommit");
    }

    /** The coordinator decided to abort (aborting or aborted). */
    public boolean aborted() {
        return state.equals("PrepareAbort") || state.equals("CompleteAbort");
    }
}
