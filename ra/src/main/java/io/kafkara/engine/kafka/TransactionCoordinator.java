package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.CoordinatorRequests.Answer;

/**
 * The transaction coordinator of transactional ids no live engine holds, asked over a short-lived client driven
 * synchronously on the caller's thread: no Admin client, no TransactionManager, no sender loop, no thread, every call
 * bounded by one timeout. Recovery ends prepared branches through it ({@link #endTransaction}), and a node's start
 * aborts the open transactions its crashed predecessor left ({@link #abortIfOpen}, {@link #ongoingTransactionalIds}).
 *
 * <p>EndTxn(transactionalId, producerId, epoch, committed) goes out with transaction version 2. What the coordinator
 * asks to retry (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS) is retried, and the coordinator is looked up
 * again on NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE or a lost connection, all within the timeout. Every other
 * answer is final and returned as {@link EndTxnAnswer} says: NONE (done, also for a repeated request, which the
 * coordinator treats as a retry), PRODUCER_FENCED (the coordinator moved the epoch on: it aborted the transaction,
 * for example after transaction.timeout.ms), INVALID_TXN_STATE (the transaction already ended the other way), or
 * INVALID_PRODUCER_ID_MAPPING (the coordinator no longer knows this producer id). The caller decides what they mean.
 *
 * <p>Aborting an open transaction is only for ids no live producer uses: an abort at the reported epoch would end a
 * live producer's transaction. A producer that initializes in between bumps the epoch, and the coordinator refuses
 * the stale EndTxn. Without it a crashed node's open transaction stays Ongoing, blocking read_committed readers of
 * its partitions, until the broker aborts it after transaction.timeout.ms.
 */
public final class TransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    private static final String ONGOING = "Ongoing";

    private final CoordinatorRequests requests;

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator. */
    TransactionCoordinator(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs, long retryBackoffMs) {
        this(CoordinatorRequests.over(client, bootstrap, time, timeoutMs, retryBackoffMs));
    }

    private TransactionCoordinator(CoordinatorRequests requests) {
        this.requests = requests;
    }

    /** A real network client over the producer settings' bootstrap.servers and security settings. */
    public static TransactionCoordinator open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new TransactionCoordinator(CoordinatorRequests.open(producerSettings, time, "txn-completer",
                timeoutMs));
    }

    /**
     * Aborts the id's transaction if the coordinator shows one open. Throws a {@link TimeoutException} when the
     * coordinator could not be reached in time, a {@link KafkaException} for an answer that is neither (for example
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
     */
    public AbortOutcome abortIfOpen(String transactionalId) {
        TransactionState state = describe(transactionalId);
        if (state == null) {
            return AbortOutcome.NOT_OPEN;
        }
        switch (state.transactionState()) {
            case ONGOING -> {
                EndTxnAnswer answer = endTransaction(transactionalId, state.producerId(), state.producerEpoch(),
                        false);
                return switch (answer.kind()) {
                    case COMPLETED -> AbortOutcome.ABORTED;
                    // Someone ended it between our two requests: a new producer's InitProducerId, or the timeout.
                    case MOVED_ON -> AbortOutcome.ENDED_MEANWHILE;
                    case PRODUCER_UNKNOWN, REFUSED -> throw new KafkaException("EndTxn(abort) of the open "
                            + "transaction of " + transactionalId + " (producerId=" + state.producerId()
                            + ", epoch=" + state.producerEpoch() + ") answered " + answer);
                };
            }
            case "PrepareCommit", "PrepareAbort", "PrepareEpochFence" -> {
                return AbortOutcome.COMPLETING;
            }
            default -> {
                return AbortOutcome.NOT_OPEN;
            }
        }
    }

    /**
     * What the coordinator reports about the id now, or null when it does not know the id (never used, or expired).
     * Throws as {@link #abortIfOpen}.
     */
    public CoordinatorTransaction describeTransaction(String transactionalId) {
        TransactionState state = describe(transactionalId);
        return state == null ? null : new CoordinatorTransaction(state.transactionState(), state.producerId(),
                state.producerEpoch());
    }

    /**
     * Ends the transaction; returns the coordinator's final answer (see the class comment). Throws a
     * {@link TimeoutException} naming the transactional id and the last problem when the coordinator could not be
     * reached or kept asking to retry for the whole timeout, and a {@link KafkaException} for authentication errors.
     */
    public EndTxnAnswer endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        String outcome = commit ? "commit" : "abort";
        EndTxnRequest.Builder request = new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitted(commit), true);
        Errors answer = requests.send(transactionalId, "EndTxn(" + outcome + ", producerId=" + producerId + ", epoch="
                + epoch + ")", request, TransactionCoordinator::interpretEndTxn);
        LOG.debug("EndTxn({}) for transactional id {} (producerId={}, epoch={}) answered {}", outcome,
                transactionalId, producerId, epoch, answer);
        return EndTxnAnswer.of(answer);
    }

    private static Answer<Errors> interpretEndTxn(AbstractResponse response) {
        Errors error = ((EndTxnResponse) response).error();
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Answer.relocate(error);
            case CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS -> Answer.retry(error);
            default -> Answer.done(error);
        };
    }

    /**
     * The transactional ids matching {@code pattern} (a regular expression, as ListTransactions v2 takes it) whose
     * transaction is Ongoing at any broker: ListTransactions goes to every broker, since each coordinates its own part
     * of the ids. Empty when the brokers offer no ListTransactions v2 (Kafka before 4.1). Throws Kafka's
     * TimeoutException when a broker did not answer in time.
     */
    public List<String> ongoingTransactionalIds(String pattern) {
        ShortLivedClient client = requests.client();
        long deadline = client.time().milliseconds() + requests.timeoutMs();
        try {
            MetadataResponse metadata = (MetadataResponse) client.call(client.nextBootstrapNode(),
                    new MetadataRequest.Builder(List.of(), false), remaining(client, deadline));
            Set<String> ongoing = new TreeSet<>();
            for (MetadataResponseData.MetadataResponseBroker broker : metadata.data().brokers()) {
                Node node = new Node(broker.nodeId(), broker.host(), broker.port());
                ListTransactionsResponse listed = (ListTransactionsResponse) client.call(node,
                        new ListTransactionsRequest.Builder(new ListTransactionsRequestData()
                                .setStateFilters(List.of(ONGOING)).setTransactionalIdPattern(pattern)),
                        remaining(client, deadline));
                Errors error = Errors.forCode(listed.data().errorCode());
                if (error != Errors.NONE) {
                    throw error.exception("ListTransactions at broker " + node.idString() + " answered " + error);
                }
                listed.data().transactionStates().forEach(state -> ongoing.add(state.transactionalId()));
            }
            return List.copyOf(ongoing);
        } catch (UnsupportedVersionException e) {
            LOG.debug("The brokers offer no ListTransactions with a transactional id pattern: {}", e.getMessage());
            return List.of();
        } catch (IOException e) {
            throw new TimeoutException("Could not list the open transactions matching " + pattern + " within "
                    + requests.timeoutMs() + " ms: " + e.getMessage(), e);
        }
    }

    private static long remaining(ShortLivedClient client, long deadline) throws IOException {
        long remaining = deadline - client.time().milliseconds();
        if (remaining <= 0) {
            throw new IOException("no time left");
        }
        return remaining;
    }

    /** The coordinator's view of the id, or null when it does not know the id (never used, or expired). */
    private TransactionState describe(String transactionalId) {
        DescribeTransactionsRequest.Builder request = new DescribeTransactionsRequest.Builder(
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        return requests.send(transactionalId, "DescribeTransactions", request, response -> interpret(
                ((DescribeTransactionsResponse) response).data().transactionStates().get(0), transactionalId));
    }

    private static Answer<TransactionState> interpret(TransactionState state, String transactionalId) {
        Errors error = Errors.forCode(state.errorCode());
        return switch (error) {
            case NONE -> {
                LOG.debug("Transactional id {}: {} (producerId={}, epoch={})", transactionalId,
                        state.transactionState(), state.producerId(), state.producerEpoch());
                yield Answer.done(state);
            }
            case TRANSACTIONAL_ID_NOT_FOUND -> Answer.done(null);
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Answer.relocate(error);
            case COORDINATOR_LOAD_IN_PROGRESS -> Answer.retry(error);
            default -> throw error.exception("DescribeTransactions for transactional id " + transactionalId
                    + " answered " + error);
        };
    }

    @Override
    public void close() {
        requests.close();
    }
}
