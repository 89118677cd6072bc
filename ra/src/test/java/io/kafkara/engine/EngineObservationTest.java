package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.DoorAccess;
import io.kafkara.observe.DefinitionReadiness;
import io.kafkara.observe.EngineRoster;
import io.kafkara.observe.ObserveAccess;
import io.kafkara.observe.ObservedDefinition;

/**
 * What operators see of real engines over a fake network and clock: a definition's record counter over its engines
 * (and after one closed), and its readiness, which an idle engine finds out by probing: no broker answers its
 * metadata request for longer than max.block.ms, then one does.
 */
class EngineObservationTest {

    private static final int MAX_BLOCK_MS = 8_000;

    @Test
    void theDefinitionsRecordCounterSumsItsEnginesAndKeepsWhatAClosedOneCounted() {
        EngineRoster roster = new EngineRoster();
        try (EngineHarness first = new EngineHarness(Map.of()); EngineHarness second = new EngineHarness(Map.of())) {
            roster.add(first.engine);
            roster.add(second.engine);
            sendAndAcknowledge(first, 3);
            sendAndAcknowledge(second, 2);

            assertEquals(5.0, ObserveAccess.total(roster, "record-send-total"));

            first.engine.close(Duration.ZERO);
            assertEquals(List.of(second.engine), ObserveAccess.live(roster), "the closed engine left the roster");
            assertEquals(5.0, ObserveAccess.total(roster, "record-send-total"), "its records still count");
        }
    }

    @Test
    void anIdleEngineThatNoBrokerAnswersMakesItsDefinitionDownAfterMaxBlockAndUpWhenOneAnswers() {
        try (EngineHarness harness = new EngineHarness(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS))) {
            harness.step();
            EngineRoster roster = new EngineRoster();
            roster.add(harness.engine);
            ObservedDefinition definition = definition(roster);
            assertTrue(ObserveAccess.readiness(List.of(definition)).up(), "metadata just arrived");

            // Past the probe interval (max.block.ms / 4): the look asks for metadata, and no broker answers it.
            harness.time.sleep(MAX_BLOCK_MS / 4 + 1);
            assertTrue(ObserveAccess.readiness(List.of(definition)).up(), "a probe just went out");
            assertTrue(DoorAccess.metadataUpdateRequested(harness.engine.pipeline()),
                    "the look asked the idle engine for metadata");
            // No broker answers: the loop is not stepped, so the request stays unanswered.
            harness.time.sleep(MAX_BLOCK_MS + 1);

            DefinitionReadiness.Report down = ObserveAccess.readiness(List.of(definition));
            assertFalse(down.up(), down.toString());
            assertEquals("DOWN", down.data().get("orders.status"));
            assertTrue(String.valueOf(down.data().get("orders.reason")).contains("no answer from any broker for "
                    + (MAX_BLOCK_MS + 1) + " ms (max.block.ms=" + MAX_BLOCK_MS + ")"), down.toString());

            // MockClient answers a requested update with the metadata it has, as a broker that is back would.
            harness.step();
            assertTrue(ObserveAccess.readiness(List.of(definition)).up(), "a broker answered");
        }
    }

    private static void sendAndAcknowledge(EngineHarness harness, int count) {
        harness.initProducerId();
        for (int i = 0; i < count; i++) {
            Future<RecordMetadata> sent = harness.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, "k", "v"),
                    null);
            FakeBroker.runUntil(harness::stepAndAcknowledge, sent::isDone, 20, "the record to be acknowledged");
        }
    }

    private static ObservedDefinition definition(EngineRoster roster) {
        return new ObservedDefinition() {
            @Override
            public String name() {
                return "orders";
            }

            @Override
            public EngineRoster engines() {
                return roster;
            }

            @Override
            public int transactionalEnginesInUse() {
                return 0;
            }

            @Override
            public int transactionalEnginesIdle() {
                return 0;
            }

            @Override
            public int inDoubtBranches() {
                return 0;
            }

            @Override
            public long oldestInDoubtAgeMs() {
                return -1;
            }

            @Override
            public long journalWrites() {
                return 0;
            }
        };
    }
}
