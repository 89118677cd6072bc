package io.kafkara.engine.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.CoordinatorRequests.Answer;

/**
 * Asks the cluster whether it keeps prepared transactions until the client ends them (two-phase commit mode): sends
 * the request a two-phase engine would send, InitProducerId v6 with {@code enable2Pc=true}, for a transactional id
 * of its own, and reads the answer. On a short-lived client driven on the caller's thread.
 *
 * <p>What a 4.3.1 broker answers: without {@code unstable.api.versions.enable=true} it does not offer v6 at all (the
 * client reports an {@code UnsupportedVersionException} before sending); with it but without
 * {@code transaction.two.phase.commit.enable=true} the coordinator answers {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED}
 * (the same answer as a missing {@code TWO_PHASE_COMMIT} ACL on the transactional id when an authorizer is on); with
 * both it gives a producer id whose transactions never time out.
 *
 * <p>The probe id must not be one an engine uses: InitProducerId bumps its epoch and aborts its open transaction.
 */
public final class TwoPhaseCommitProbe implements AutoCloseable {

    /** What the cluster answered: whether prepared transactions stay until ended, and why in words. */
    public record Verdict(boolean twoPhaseCommit, String reason) {
    }

    private final CoordinatorRequests requests;

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator. */
    TwoPhaseCommitProbe(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                        long retryBackoffMs) {
        this(CoordinatorRequests.over(client, bootstrap, time, timeoutMs, retryBackoffMs));
    }

    private TwoPhaseCommitProbe(CoordinatorRequests requests) {
        this.requests = requests;
    }

    /** A real network client over the settings' bootstrap.servers and security settings; close it after the check. */
    public static TwoPhaseCommitProbe open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new TwoPhaseCommitProbe(CoordinatorRequests.open(producerSettings, time, "2pc-probe", timeoutMs));
    }

    /**
     * Sends InitProducerId v6 with enable2Pc for {@code probeTransactionalId} to its coordinator. Throws Kafka's
     * {@link TimeoutException} when the cluster gave no final answer within the timeout, and a {@link KafkaException}
     * for any other refusal (which says nothing about two-phase commit).
     */
    public Verdict check(String probeTransactionalId, int transactionTimeoutMs) {
        TwoPhaseInitProducerId request = new TwoPhaseInitProducerId(new InitProducerIdRequestData()
                .setTransactionalId(probeTransactionalId).setTransactionTimeoutMs(transactionTimeoutMs));
        try {
            return requests.send(probeTransactionalId, "The two-phase commit check (InitProducerId v6)", request,
                    response -> interpret(((InitProducerIdResponse) response).error(), probeTransactionalId));
        } catch (UnsupportedVersionException e) {
            return new Verdict(false, "the broker does not offer InitProducerId v6, which carries enable2Pc "
                    + "(a 4.3.1 broker offers it only with unstable.api.versions.enable=true)");
        }
    }

    private static Answer<Verdict> interpret(Errors error, String probeTransactionalId) {
        if (error == Errors.NONE) {
            return Answer.done(new Verdict(true, "the transaction coordinator accepted InitProducerId v6 with "
                    + "enable2Pc=true"));
        }
        if (error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED) {
            return Answer.done(new Verdict(false, "the transaction coordinator refused enable2Pc "
                    + "(TRANSACTIONAL_ID_AUTHORIZATION_FAILED): the broker runs without "
                    + "transaction.two.phase.commit.enable=true, or an authorizer denies TWO_PHASE_COMMIT "
                    + "on transactional id " + probeTransactionalId));
        }
        if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
            return Answer.relocate(error);
        }
        if (error.exception() instanceof RetriableException) {
            return Answer.retry(error);
        }
        throw new KafkaException("InitProducerId for the two-phase commit check (transactional id "
                + probeTransactionalId + ") answered " + error + ": " + error.message());
    }

    @Override
    public void close() {
        requests.close();
    }
}
