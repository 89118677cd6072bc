package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.utils.Time;

/**
 * The broker side of engine tests, over Kafka's MockClient: metadata with topic ids (Produce v13 addresses topics by
 * id), producer ids, and answers to the produce requests the real Sender sent. Offsets are per partition and grow.
 */
final class FakeBroker {

    static final long PRODUCER_ID = 4711L;
    static final short EPOCH = 0;

    /** One produce request as the broker saw it: per partition, the batch's base sequence and record count. */
    record Produced(ClientRequest request, Map<TopicPartition, MutableRecordBatch> batches) {
        List<TopicPartition> partitions() {
            return new ArrayList<>(batches.keySet());
        }
    }

    private final MockClient client;
    private final Map<String, Uuid> topicIds = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();

    private final ProducerMetadata metadata;
    private final Time time;

    FakeBroker(MockClient client, ProducerMetadata metadata, Time time) {
        this.client = client;
        this.metadata = metadata;
        this.time = time;
    }

    /** Metadata: one broker leading every partition of the given topics. */
    void createTopics(Map<String, Integer> partitionCounts) {
        partitionCounts.keySet().forEach(t -> topicIds.computeIfAbsent(t, k -> Uuid.randomUuid()));
        // The producer keeps metadata only for topics it uses: register them as a send would.
        partitionCounts.keySet().forEach(t -> metadata.add(t, time.milliseconds()));
        client.updateMetadata(RequestTestUtils.metadataUpdateWithIds(1, partitionCounts, topicIds));
    }

    /** Answers the next InitProducerId request with a producer id. */
    void prepareInitProducerId() {
        client.prepareResponse(body -> body instanceof InitProducerIdRequest,
                new InitProducerIdResponse(new InitProducerIdResponseData().setProducerId(PRODUCER_ID)
                        .setProducerEpoch(EPOCH).setErrorCode(Errors.NONE.code())));
    }

    /** The produce requests sent and not answered yet, oldest first. */
    List<Produced> inFlightProduce() {
        List<Produced> produced = new ArrayList<>();
        for (ClientRequest request : client.requests()) {
            AbstractRequest body = request.requestBuilder().build();
            if (body instanceof ProduceRequest produce) {
                produced.add(new Produced(request, batchesOf(produce)));
            }
        }
        return produced;
    }

    /** The oldest unanswered produce request; fails the test if there is none. */
    Produced oldestProduce() {
        List<Produced> inFlight = inFlightProduce();
        assertTrue(!inFlight.isEmpty(), "expected a produce request in flight, found none");
        return inFlight.get(0);
    }

    /** Prepares the answer to the next produce request, per partition (offset 0 on success). */
    void prepareProduceAnswer(Map<TopicPartition, Errors> errors) {
        client.prepareResponse(body -> body instanceof ProduceRequest, produceAnswer(errors));
    }

    /** A produce answer per partition (offset 0 on success), addressing topics by id. */
    ProduceResponse produceAnswer(Map<TopicPartition, Errors> errors) {
        Map<TopicIdPartition, ProduceResponse.PartitionResponse> answers = new LinkedHashMap<>();
        errors.forEach((tp, error) -> answers.put(new TopicIdPartition(topicIds.get(tp.topic()), tp.partition(),
                tp.topic()), new ProduceResponse.PartitionResponse(error, error == Errors.NONE ? 0L : -1L, -1L, 0L)));
        return new ProduceResponse(answers);
    }

    /** The string values of a produced batch, in order. */
    static List<String> values(MutableRecordBatch batch) {
        List<String> values = new ArrayList<>();
        batch.forEach(record -> values.add(StandardCharsets.UTF_8.decode(record.value()).toString()));
        return values;
    }

    /** Answers the oldest produce request with the same error for every partition (NONE acknowledges). */
    Produced answerOldestProduce(Errors error) {
        Produced produced = oldestProduce();
        Map<TopicIdPartition, ProduceResponse.PartitionResponse> answers = new LinkedHashMap<>();
        produced.batches().forEach((tp, batch) -> {
            long base = -1;
            if (error == Errors.NONE) {
                base = nextOffset.getOrDefault(tp, 0L);
                nextOffset.put(tp, base + batch.countOrNull());
            }
            answers.put(new TopicIdPartition(topicIds.get(tp.topic()), tp.partition(), tp.topic()),
                    new ProduceResponse.PartitionResponse(error, base, -1L, 0L));
        });
        client.respondToRequest(produced.request(), new ProduceResponse(answers));
        return produced;
    }

    private Map<TopicPartition, MutableRecordBatch> batchesOf(ProduceRequest produce) {
        Map<TopicPartition, MutableRecordBatch> batches = new LinkedHashMap<>();
        produce.data().topicData().forEach(topic -> topic.partitionData().forEach(partition -> {
            // Produce v13 leaves the name empty and carries the topic id.
            String name = topic.name().isEmpty() ? topicName(topic.topicId()) : topic.name();
            MutableRecordBatch batch = ((MemoryRecords) partition.records()).batches().iterator().next();
            batches.put(new TopicPartition(name, partition.index()), batch);
        }));
        return batches;
    }

    /** Maps a request's topic (by id in v13) back to its name. */
    String topicName(Uuid id) {
        return topicIds.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).findFirst()
                .orElseThrow();
    }

    static void runUntil(Runnable step, BooleanSupplier condition, int maxSteps, String expectation) {
        for (int i = 0; i < maxSteps; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            step.run();
        }
        if (!condition.getAsBoolean()) {
            fail("expected " + expectation + " within " + maxSteps + " steps of the sender loop");
        }
    }
}
