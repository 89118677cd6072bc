package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.junit.jupiter.api.Test;

/** The transaction hooks over the TransactionManager: init, begin, send, commit, as the coordinator sees them. */
class EngineTransactionTest {

    private static final String TX_ID = "orders-tx-1";
    private static final TopicPartition P0 = new TopicPartition(EngineHarness.TOPIC, 0);

    @Test
    void initBeginSendCommitSendsTheCoordinatorRequestsInOrder() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TX_ID))) {
            MockClient client = h.client();
            Node broker = h.engine.partitionsFor(EngineHarness.TOPIC).get(0).leader();
            List<String> transcript = new CopyOnWriteArrayList<>();
            // the broker's answers, in the order the coordinator protocol asks for them
            client.prepareResponse(body -> record(transcript, "FindCoordinator", body instanceof FindCoordinatorRequest),
                    FindCoordinatorResponse.prepareResponse(Errors.NONE, TX_ID, broker));
            client.prepareResponse(body -> record(transcript, "InitProducerId", body instanceof InitProducerIdRequest),
                    new org.apache.kafka.common.requests.InitProducerIdResponse(
                            new org.apache.kafka.common.message.InitProducerIdResponseData()
                                    .setProducerId(FakeBroker.PRODUCER_ID).setProducerEpoch(FakeBroker.EPOCH)));

            // initTransactions wakes the loop: connect, find the coordinator, receive a producer id
            h.stepOnWakeup(() -> client.futureResponses().isEmpty() && !client.hasInFlightRequests(),
                    "FindCoordinator and InitProducerId to be answered");
            h.engine.initTransactions();

            h.engine.beginTransaction();
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "v"), null);
            client.prepareResponse(body -> record(transcript, "AddPartitionsToTxn",
                            body instanceof AddPartitionsToTxnRequest),
                    new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(
                            AddPartitionsToTxnResponse.resultForTransaction(TX_ID, Map.of(P0, Errors.NONE))
                                    .topicResults())));
            client.prepareResponse(body -> record(transcript, "Produce transactionalId="
                            + (body instanceof ProduceRequest produce && TX_ID.equals(produce.transactionalId())),
                            body instanceof ProduceRequest),
                    produceAnswer(h));
            client.prepareResponse(body -> record(transcript, "EndTxn commit="
                            + (body instanceof EndTxnRequest end && end.data().committed()), body instanceof EndTxnRequest),
                    new EndTxnResponse(new EndTxnResponseData().setErrorCode(Errors.NONE.code())));

            // commitTransaction wakes the loop: add the partition, send produce request, end the transaction
            h.engine.commitTransaction();

            assertEquals(List.of("FindCoordinator", "InitProducerId", "AddPartitionsToTxn",
                    "Produce transactionalId=true", "EndTxn commit=true"), transcript);
            assertTrue(sent.isDone());
            assertEquals(0, sent.get().partition());
        }
    }

    @Test
    void transactionHooksRequireATransactionalId() {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            IllegalStateException none = assertThrows(IllegalStateException.class, h.engine::beginTransaction);
            assertTrue(none.getMessage().contains("transactional.id") && none.getMessage().contains(h.clientId),
                    none.getMessage());
        }
    }

    private static boolean record(List<String> transcript, String entry, boolean matches) {
        if (matches) {
            transcript.add(entry);
        }
        return matches;
    }

    private static org.apache.kafka.common.requests.ProduceResponse produceAnswer(EngineHarness h) {
        // Built through the fake broker so the answer addresses the topic by id, as Produce v13 does.
        return h.broker.produceAnswer(Map.of(P0, Errors.NONE));
    }
}
