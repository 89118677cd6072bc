package io.kafkara.engine.kafka;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final ShortLivedClient connection;
    private final long timeoutMs;

    /**
     * Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator in turn.
     */
    public PreparedTransactionCompleter(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                        long retryBackoffMs) {
        this(new ShortLivedClient(client, bootstrap, time, retryBackoffMs, () -> { }), timeoutMs);
    }

    private PreparedTransactionCompleter(ShortLivedClient connection, long timeoutMs) {
        this.connection = connection;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Opens a real network client over the producer settings' bootstrap.servers and security settings. The caller
     * closes it after use: it is meant to live for one recovery pass.
     *
     * @param timeoutMs bound of each {@link #endTransaction} call, retries included
     */
    public static PreparedTransactionCompleter open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new PreparedTransactionCompleter(ShortLivedClient.open(producerSettings, time, "txn-completer"),
                timeoutMs);
    }

    /**
     * Ends the transaction; returns the coordinator's final answer (see the class comment). Throws a
     * {@link TimeoutException} naming the transactional id and the last problem when the coordinator could not be
     * reached or kept asking to retry for the whole timeout, and a {@link KafkaException} for authentication errors.
     */
    public Errors endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        Time time = connection.time();
        long deadline = time.milliseconds() + timeoutMs;
        Node coordinator = null;
        String lastProblem = "none";
        while (true) {
            long remaining = deadline - time.milliseconds();
            if (remaining <= 0) {
                throw new TimeoutException(String.format("EndTxn(%s) for transactional id %s (producerId=%d, "
                        + "epoch=%d) did not complete within %d ms; last problem: %s", commit ? "commit" : "abort",
                        transactionalId, producerId, epoch, timeoutMs, lastProblem));
            }
            try {
                if (coordinator == null) {
                    FindCoordinatorResponseData.Coordinator found =
                            connection.findTransactionCoordinator(transactionalId, remaining);
                    Errors error = Errors.forCode(found.errorCode());
                    if (error != Errors.NONE) {
                        lastProblem = "FindCoordinator answered " + error;
                        connection.backoff();
                        continue;
                    }
                    coordinator = new Node(found.nodeId(), found.host(), found.port());
                }
                Errors error = endTxn(coordinator, transactionalId, producerId, epoch, commit, remaining);
                if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                    coordinator = null;
                } else if (error != Errors.CONCURRENT_TRANSACTIONS && error != Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                    LOG.debug("EndTxn({}) for transactional id {} (producerId={}, epoch={}) answered {}",
                            commit ? "commit" : "abort", transactionalId, producerId, epoch, error);
                    return error;
                }
                lastProblem = "EndTxn answered " + error;
            } catch (IOException e) {
                coordinator = null;
                lastProblem = e.getMessage();
            }
            connection.backoff();
        }
    }

    private Errors endTxn(Node coordinator, String transactionalId, long producerId, short epoch, boolean commit,
                          long remaining) throws IOException {
        EndTxnRequest.Builder request = new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitted(commit), true);
        return ((EndTxnResponse) connection.call(coordinator, request, remaining)).error();
    }

    /** Where the transactional id's coordinator is (OpenTransactionAborter shares this client). */
    FindCoordinatorResponseData.Coordinator findCoordinator(String transactionalId, long remainingMs)
            throws IOException {
        return connection.findTransactionCoordinator(transactionalId, remainingMs);
    }

    /** One request and its answer on this client (OpenTransactionAborter's DescribeTransactions). */
    AbstractResponse call(Node node, AbstractRequest.Builder<?> request, long remainingMs) throws IOException {
        return connection.call(node, request, remainingMs);
    }

    void backoff() {
        connection.backoff();
    }

    @Override
    public void close() {
        connection.close();
    }
}
