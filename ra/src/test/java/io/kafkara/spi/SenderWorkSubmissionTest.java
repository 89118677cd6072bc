package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter never blocks a caller in the container's scheduleWork (which blocks without bound once the
 * long-running pool and its queue are full): it keeps at most one sender Work waiting for a thread. A further
 * engine waits up to its max.block.ms for that Work to start and then fails naming the work manager and what to
 * raise; once the container starts the waiting Work, engines launch again.
 */
class SenderWorkSubmissionTest {

    private static final long MAX_BLOCK_MS = 300;

    private final FakeWorkManager workManager = new FakeWorkManager();
    private final EngineSupervisor supervisor = new EngineSupervisor(workManager, Duration.ZERO,
            FakeClusterEngines.on(new MockTime()));

    @AfterEach
    void closeEngines() throws InterruptedException {
        supervisor.closeAll();
        assertTrue(workManager.allWorkEndedWithin(10, TimeUnit.SECONDS), "sender Work still running");
    }

    private static Map<String, Object> settings(String clientId) {
        return Map.of("bootstrap.servers", "localhost:9092", "key.serializer", StringSerializer.class,
                "value.serializer", StringSerializer.class, "client.id", clientId, "max.block.ms", MAX_BLOCK_MS);
    }

    @Test
    void aSecondEngineWhileTheFirstWorkWaitsForAThreadFailsAfterMaxBlockMsNamingTheWorkManager() throws Exception {
        supervisor.launch(settings("first"), getClass().getClassLoader());

        long before = System.nanoTime();
        ResourceException refused = assertThrows(ResourceException.class,
                () -> supervisor.launch(settings("second"), getClass().getClassLoader()));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertTrue(refused.getMessage().startsWith("KAFKARA-RA-014: no new producer engine for Kafka client second")
                && refused.getMessage().contains("max.block.ms (300 ms)")
                && refused.getMessage().contains("long-running-threads"), refused.getMessage());
        assertTrue(waitedMs >= MAX_BLOCK_MS && waitedMs < MAX_BLOCK_MS + 5_000, "waited " + waitedMs + " ms");
        assertEquals(1, workManager.scheduledCount(), "the second Work was never handed to the container");
    }

    @Test
    void aWorkWaitingForAThreadMakesTheDefinitionsCloseTheirIdleTransactionalEngines() throws Exception {
        java.util.concurrent.atomic.AtomicInteger closings = new java.util.concurrent.atomic.AtomicInteger();
        supervisor.idleEnginesClosedOnDemand(closings::incrementAndGet);
        supervisor.launch(settings("first"), getClass().getClassLoader());
        assertEquals(0, closings.get(), "nothing waited for a thread: idle engines stay");

        assertThrows(ResourceException.class, () -> supervisor.launch(settings("second"),
                getClass().getClassLoader()));

        assertEquals(1, closings.get(), "the second launch found a Work waiting and asked idle engines to go");
    }

    @Test
    void onceTheWaitingWorkStartedTheNextEngineLaunchesAtOnce() throws Exception {
        supervisor.launch(settings("first"), getClass().getClassLoader());
        workManager.runScheduled();

        supervisor.launch(settings("second"), getClass().getClassLoader());

        assertEquals(1, workManager.scheduledCount(), "the second Work is queued: the first one started");
        assertEquals(2, supervisor.runningCount());
    }
}
