package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.OrphanTransactions.Outcome;

/**
 * Aborts the open transaction of a transactional id whose producer is gone (its server was killed before prepare):
 * DescribeTransactions at the id's coordinator, and when it shows {@code Ongoing}, EndTxn(abort) with the producer id
 * and epoch it reports (through {@link PreparedTransactionCompleter}, sharing its short-lived client). Without this a
 * crashed node's open transaction stays Ongoing, blocking read_committed readers of its partitions, until the broker
 * aborts it after transaction.timeout.ms.
 *
 * <p>Only for ids no live producer uses: an abort at the reported epoch would end a live producer's transaction. A
 * producer that initializes in between bumps the epoch, and the coordinator refuses the stale EndTxn. No Admin
 * client, no TransactionManager, no thread: synchronous on the caller's thread, every call bounded by one timeout.
 */
public final class OpenTransactionAborter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenTransactionAborter.class);
    private static final String ONGOING = "Ongoing";

    private final PreparedTransactionCompleter completer;
    private final Time time;
    private final long timeoutMs;

    /** Over a completer built elsewhere (tests: one over Kafka's MockClient); closing this closes the completer. */
    public OpenTransactionAborter(PreparedTransactionCompleter completer, Time time, long timeoutMs) {
        this.completer = completer;
        this.time = time;
        this.timeoutMs = timeoutMs;
    }

    /** A real network client over the producer settings' bootstrap.servers and security settings. */
    public static OpenTransactionAborter open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new OpenTransactionAborter(PreparedTransactionCompleter.open(producerSettings, time, timeoutMs), time,
                timeoutMs);
    }

    /**
     * Aborts the id's transaction if the coordinator shows one open. Throws a {@link TimeoutException} when the
     * coordinator could not be reached in time, a {@link KafkaException} for an answer that is neither (for example
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
     */
    public Outcome abortIfOpen(String transactionalId) {
        TransactionState state = describe(transactionalId);
        if (state == null) {
            return Outcome.NOT_OPEN;
        }
        switch (state.transactionState()) {
            case ONGOING -> {
                Errors answer = completer.endTransaction(transactionalId, state.producerId(), state.producerEpoch(),
                        false);
                return switch (answer) {
                    case NONE -> Outcome.ABORTED;
                    // Someone ended it between our two requests: a new producer's InitProducerId, or the timeout.
                    case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE -> Outcome.ENDED_MEANWHILE;
                    default -> throw new KafkaException("EndTxn(abort) of the open transaction of " + transactionalId
                            + " (producerId=" + state.producerId() + ", epoch=" + state.producerEpoch()
                            + ") answered " + answer);
                };
            }
            case "PrepareCommit", "PrepareAbort", "PrepareEpochFence" -> {
                return Outcome.COMPLETING;
            }
            default -> {
                return Outcome.NOT_OPEN;
            }
        }
    }

    /** The coordinator's view of the id, or null when it does not know the id (never used, or expired). */
    private TransactionState describe(String transactionalId) {
        long deadline = time.milliseconds() + timeoutMs;
        Node coordinator = null;
        String lastProblem = "none";
        while (true) {
            long remaining = deadline - time.milliseconds();
            if (remaining <= 0) {
                throw new TimeoutException("DescribeTransactions for transactional id " + transactionalId
                        + " did not complete within " + timeoutMs + " ms; last problem: " + lastProblem);
            }
            try {
                if (coordinator == null) {
                    FindCoordinatorResponseData.Coordinator found = completer.findCoordinator(transactionalId,
                            remaining);
                    Errors error = Errors.forCode(found.errorCode());
                    if (error == Errors.NONE) {
                        coordinator = new Node(found.nodeId(), found.host(), found.port());
                        continue;
                    }
                    lastProblem = "FindCoordinator answered " + error;
                } else {
                    TransactionState state = describeAt(coordinator, transactionalId, remaining);
                    Errors error = Errors.forCode(state.errorCode());
                    switch (error) {
                        case NONE -> {
                            LOG.debug("Transactional id {}: {} (producerId={}, epoch={})", transactionalId,
                                    state.transactionState(), state.producerId(), state.producerEpoch());
                            return state;
                        }
                        case TRANSACTIONAL_ID_NOT_FOUND -> {
                            return null;
                        }
                        case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> coordinator = null;
                        case COORDINATOR_LOAD_IN_PROGRESS -> { }
                        default -> throw error.exception("DescribeTransactions for transactional id "
                                + transactionalId + " answered " + error);
                    }
                    lastProblem = "DescribeTransactions answered " + error;
                }
            } catch (IOException e) {
                coordinator = null;
                lastProblem = e.getMessage();
            }
            completer.backoff();
        }
    }

    private TransactionState describeAt(Node coordinator, String transactionalId, long remaining) throws IOException {
        DescribeTransactionsRequest.Builder request = new DescribeTransactionsRequest.Builder(
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        DescribeTransactionsResponse response = (DescribeTransactionsResponse) completer.call(coordinator, request,
                remaining);
        return response.data().transactionStates().get(0);
    }

    @Override
    public void close() {
        completer.close();
    }
}
