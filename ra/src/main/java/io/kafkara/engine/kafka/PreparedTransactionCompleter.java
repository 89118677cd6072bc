package io.kafkara.engine.kafka;

import java.util.List;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.CoordinatorRequests.Answer;

/**
 * Ends a prepared transaction that no live engine holds (its engine crashed or was closed): FindCoordinator for the
 * transactional id, then EndTxn(transactionalId, producerId, epoch, committed) with transaction version 2, on a
 * short-lived client driven synchronously on the caller's thread. No TransactionManager, no sender loop, no thread.
 *
 * <p>Retries what the coordinator asks to retry (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS), looks the
 * coordinator up again on NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE or a lost connection, all within one timeout.
 * Every other answer is final and returned as is: NONE (done, also for a repeated request, which the coordinator
 * treats as a retry), PRODUCER_FENCED (the coordinator moved the epoch on: it aborted the transaction, for example
 * after transaction.timeout.ms), INVALID_TXN_STATE (the transaction already ended the other way), or
 * INVALID_PRODUCER_ID_MAPPING (the coordinator no longer knows this producer id). The caller decides what they mean.
 */
public final class PreparedTransactionCompleter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedTransactionCompleter.class);

    private final CoordinatorRequests requests;

    /**
     * Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator in turn.
     */
    public PreparedTransactionCompleter(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                        long retryBackoffMs) {
        this(CoordinatorRequests.over(client, bootstrap, time, timeoutMs, retryBackoffMs));
    }

    /** Over requests shared with another user of the same client (OpenTransactionAborter). */
    PreparedTransactionCompleter(CoordinatorRequests requests) {
        this.requests = requests;
    }

    /**
     * Ends the transaction; returns the coordinator's final answer (see the class comment). Throws a
     * {@link TimeoutException} naming the transactional id and the last problem when the coordinator could not be
     * reached or kept asking to retry for the whole timeout, and a {@link KafkaException} for authentication errors.
     */
    public Errors endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        String outcome = commit ? "commit" : "abort";
        EndTxnRequest.Builder request = new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitted(commit), true);
        Errors answer = requests.send(transactionalId, "EndTxn(" + outcome + ", producerId=" + producerId + ", epoch="
                + epoch + ")", request, PreparedTransactionCompleter::interpret);
        LOG.debug("EndTxn({}) for transactional id {} (producerId={}, epoch={}) answered {}", outcome,
                transactionalId, producerId, epoch, answer);
        return answer;
    }

    private static Answer<Errors> interpret(AbstractResponse response) {
        Errors error = ((EndTxnResponse) response).error();
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Answer.relocate(error);
            case CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS -> Answer.retry(error);
            default -> Answer.done(error);
        };
    }

    @Override
    public void close() {
        requests.close();
    }
}
