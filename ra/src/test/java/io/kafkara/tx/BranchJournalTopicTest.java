package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.DoorAccess;

/** The journal topic is made sure of before the journal's first use; a refusal says what to create by hand. */
class BranchJournalTopicTest {

    private final MockTime time = new MockTime();
    private final Node broker = new Node(-1, "localhost", 9092);
    /** One client per check: a check closes its provisioner, and so the client. */
    private final Deque<MockClient> clients = new ArrayDeque<>();
    private final BranchJournalTopic topic = new BranchJournalTopic("branches",
            () -> DoorAccess.provisionerOver(clients.remove(), List.of(broker), time, 1_000, 100));

    private void missingThenCreate(Errors answer) {
        MockClient client = new MockClient(time, List.of(broker));
        clients.add(client);
        client.prepareResponseFrom(RequestTestUtils.metadataUpdateWith("cluster", 1,
                Map.of("branches", Errors.UNKNOWN_TOPIC_OR_PARTITION), Map.of()), broker);
        CreateTopicsResponseData data = new CreateTopicsResponseData();
        data.topics().add(new CreatableTopicResult().setName("branches").setErrorCode(answer.code()));
        client.prepareResponseFrom(new CreateTopicsResponse(data), broker);
    }

    @Test
    void aTopicTheClusterRefusesToCreateFailsSayingWhatToCreateByHand() {
        missingThenCreate(Errors.TOPIC_AUTHORIZATION_FAILED);

        KafkaException refused = assertThrows(KafkaException.class, topic::run);

        assertEquals("The branch journal topic branches is missing and could not be created, or may not be described "
                + "(TOPIC_AUTHORIZATION_FAILED). Create it by hand before the first XA transaction, compacted, with "
                + "the replication of the transaction state log, e.g. kafka-topics.sh --create --topic branches "
                + "--partitions 1 --replication-factor 3 --config cleanup.policy=compact, or allow this connection "
                + "definition's principal to describe and create it (ACL operations DESCRIBE and CREATE)",
                refused.getMessage());
    }

    @Test
    void theJournalIsUsedOnlyOnceItsTopicIsThereAndAFailedCheckIsRepeated() {
        List<String> calls = new ArrayList<>();
        BranchJournal journal = new TopicEnsuringBranchJournal(new BranchJournal() {
            @Override
            public void record(PreparedBranch branch) {
                calls.add("record");
            }

            @Override
            public void remove(BranchXid xid) {
                calls.add("remove");
            }

            @Override
            public Collection<PreparedBranch> inDoubt() {
                calls.add("inDoubt");
                return List.of();
            }
        }, () -> {
            calls.add("ensure");
            topic.run();
        });
        missingThenCreate(Errors.TOPIC_AUTHORIZATION_FAILED);
        missingThenCreate(Errors.NONE);

        assertThrows(KafkaException.class, journal::inDoubt);
        journal.inDoubt();
        journal.remove(BranchXid.of(1, new byte[] {1}, new byte[] {2}));

        assertEquals(List.of("ensure", "ensure", "inDoubt", "remove"), calls);
    }
}
