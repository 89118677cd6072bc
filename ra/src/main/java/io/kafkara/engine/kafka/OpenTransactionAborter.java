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
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.CoordinatorRequests.Answer;

/**
 * Aborts the open transaction of a transactional id whose producer is gone (its server was killed before prepare):
 * DescribeTransactions at the id's coordinator, and when it shows {@code Ongoing}, EndTxn(abort) with the producer id
 * and epoch it reports (through a {@link PreparedTransactionCompleter} on the same short-lived client). Without this
 * a crashed node's open transaction stays Ongoing, blocking read_committed readers of its partitions, until the
 * broker aborts it after transaction.timeout.ms.
 *
 * <p>Only for ids no live producer uses: an abort at the reported epoch would end a live producer's transaction. A
 * producer that initializes in between bumps the epoch, and the coordinator refuses the stale EndTxn. No Admin
 * client, no TransactionManager, no thread: synchronous on the caller's thread, every call bounded by one timeout.
 */
public final class OpenTransactionAborter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenTransactionAborter.class);
    private static final String ONGOING = "Ongoing";

    private final CoordinatorRequests requests;
    private final PreparedTransactionCompleter completer;

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator. */
    public OpenTransactionAborter(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                  long retryBackoffMs) {
        this(CoordinatorRequests.over(client, bootstrap, time, timeoutMs, retryBackoffMs));
    }

    private OpenTransactionAborter(CoordinatorRequests requests) {
        this.requests = requests;
        this.completer = new PreparedTransactionCompleter(requests);
    }

    /** A real network client over the producer settings' bootstrap.servers and security settings. */
    public static OpenTransactionAborter open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new OpenTransactionAborter(CoordinatorRequests.open(producerSettings, time, "txn-completer",
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
                    case PRODUCER_UNKNOWN, REFUSED -> throw new KafkaException("EndTxn(abort) of the open transaction of " + transactionalId
                            + " (producerId=" + state.producerId() + ", epoch=" + state.producerEpoch()
                            + ") answered " + answer);
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
     * Sends EndTxn for the transaction and returns the coordinator's final answer (see
     * {@link PreparedTransactionCompleter}).
     */
    public EndTxnAnswer endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        return EndTxnAnswer.of(completer.endTransaction(transactionalId, producerId, epoch, commit));
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
