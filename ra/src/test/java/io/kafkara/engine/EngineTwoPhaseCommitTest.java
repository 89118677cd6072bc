package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.NodeApiVersions;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.Test;

/**
 * A transactional engine with transaction.two.phase.commit.enable: what its real TransactionManager's InitProducerId
 * looks like on the wire (Kafka 4.3.1 alone would send v5 without enable2Pc), over MockClient.
 */
class EngineTwoPhaseCommitTest {

    private static final String TX_ID = "orders-node1-0";

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void twoPhaseEnginesSendInitProducerIdV6WithEnable2Pc() {
        try (EngineHarness h = harness(true)) {
            answerFindCoordinatorAndInitProducerId(h);

            h.engine.initTransactions();

            assertEquals(List.of("InitProducerId v6 " + TX_ID + " enable2Pc=true keepPreparedTxn=false"), sent);
        }
    }

    @Test
    void otherTransactionalEnginesSendKafkasOwnRequest() {
        try (EngineHarness h = harness(false)) {
            answerFindCoordinatorAndInitProducerId(h);

            h.engine.initTransactions();

            assertEquals(List.of("InitProducerId v5 " + TX_ID + " enable2Pc=false keepPreparedTxn=false"), sent);
        }
    }

    @Test
    void aBrokerWithoutV6FailsInitTransactionsNamingTheVersion() {
        try (EngineHarness h = harness(true)) {
            // the coordinator offers InitProducerId up to v5 (no unstable.api.versions.enable)
            h.client().setNodeApiVersions(NodeApiVersions.create(ApiKeys.INIT_PRODUCER_ID.id, (short) 0, (short) 5));
            answerFindCoordinatorAndInitProducerId(h);

            KafkaException e = assertThrows(KafkaException.class, () -> h.engine.initTransactions());
            String message = messages(e);
            assertTrue(message.contains("INIT_PRODUCER_ID") && message.contains("[6,6]"), message);
        }
    }

    private EngineHarness harness(boolean twoPhaseCommit) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TX_ID);
        settings.put(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG, twoPhaseCommit);
        // A missing answer fails the test in seconds rather than after Kafka's 60 s.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return new EngineHarness(settings);
    }

    /** Scripts the coordinator's answers and steps the loop whenever initTransactions wakes it. */
    private void answerFindCoordinatorAndInitProducerId(EngineHarness h) {
        MockClient client = h.client();
        Node broker = h.engine.partitionsFor(EngineHarness.TOPIC).get(0).leader();
        client.prepareResponse(body -> body instanceof FindCoordinatorRequest,
                FindCoordinatorResponse.prepareResponse(Errors.NONE, TX_ID, broker));
        client.prepareResponse(body -> {
            if (body instanceof InitProducerIdRequest init) {
                sent.add("InitProducerId v" + init.version() + " " + init.data().transactionalId() + " enable2Pc="
                        + init.enable2Pc() + " keepPreparedTxn=" + init.keepPreparedTxn());
                return true;
            }
            return false;
        }, new InitProducerIdResponse(new InitProducerIdResponseData().setProducerId(FakeBroker.PRODUCER_ID)
                .setProducerEpoch(FakeBroker.EPOCH)));
        h.stepOnWakeup(() -> client.futureResponses().isEmpty() && !client.hasInFlightRequests()
                || !h.engine.isAlive(), "the coordinator's scripted answers to be taken");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
