package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ResourceAdapterInternalException;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.kafkara.api.KafkaConnection;
import io.kafkara.engine.EngineAccess;
import io.kafkara.engine.ProducerEngine;

/**
 * {@code stop()} and {@code shutdownTimeoutMs}: real engines over Kafka's MockClient and MockTime, their sender loops
 * run by a fake WorkManager. Only the fake clock decides when a close gives up waiting.
 */
class KafkaResourceAdapterShutdownTest {

    private static final String TOPIC = "orders";
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final long REAL_BOUND_SECONDS = 10;

    private final MockTime time = new MockTime();
    private final FakeWorkManager workManager = new FakeWorkManager();
    private final KafkaResourceAdapter adapter = new KafkaResourceAdapter(this::engineOverMockClient);
    private MockClient client;
    private final java.util.List<ProducerEngine> created = new java.util.ArrayList<>();

    @AfterEach
    void stopAdapter() throws InterruptedException {
        adapter.stop();
        assertTrue(workManager.allWorkEndedWithin(REAL_BOUND_SECONDS, TimeUnit.SECONDS), "sender Work still running");
    }

    @ParameterizedTest(name = "shutdownTimeoutMs={0}")
    @CsvSource(value = {"0, 0", "5000, 5000", "NULL, 30000"}, nullValues = "NULL")
    void stopWaitsTheShutdownTimeoutForAnUndeliverableRecordThenForcesTheEngineClosed(Long configured,
                                                                                      long effectiveMs)
            throws Exception {
        adapter.setShutdownTimeoutMs(configured);
        Future<RecordMetadata> pending = undeliverableRecordWithTheLoopRunning();

        long stopStartedMs = time.milliseconds();
        Thread stopper = startStop();
        if (effectiveMs > 0) {
            awaitCloseWaitingOnTheClock(stopper);
            time.sleep(effectiveMs - 1);
            assertFalse(pending.isDone(), "the record was failed before the shutdown timeout had passed");
            awaitCloseWaitingOnTheClock(stopper);
            // the last millisecond of the timeout
            time.sleep(1);
        }
        stopper.join(TimeUnit.SECONDS.toMillis(REAL_BOUND_SECONDS));

        assertFalse(stopper.isAlive(), "stop() did not return after the shutdown timeout had passed");
        // The running sender loop shares the fake clock and may sleep one retry.backoff.ms (100 ms) on it itself.
        long waited = time.milliseconds() - stopStartedMs;
        assertTrue(waited >= effectiveMs && waited <= effectiveMs + 100,
                "clock time stop() waited: " + waited + " ms, expected the shutdown timeout of " + effectiveMs + " ms");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(0, TimeUnit.SECONDS));
        assertInstanceOf(KafkaException.class, failed.getCause(), "the forced close fails the unacknowledged record");
        assertTrue(workManager.allWorkEndedWithin(REAL_BOUND_SECONDS, TimeUnit.SECONDS),
                "the sender Work must return its thread after the forced close");
    }

    @Test
    void stopReturnsAsSoonAsTheAcceptedRecordsAreDeliveredWithoutWaitingForTheTimeout() throws Exception {
        adapter.setShutdownTimeoutMs(60_000L);
        adapter.start(new FakeBootstrapContext(workManager));
        KafkaConnection connection = openConnection();
        client.prepareResponse(body -> body instanceof InitProducerIdRequest, new InitProducerIdResponse(
                new InitProducerIdResponseData().setProducerId(7L).setProducerEpoch((short) 0)));
        client.prepareResponse(body -> body instanceof ProduceRequest, new ProduceResponse(Map.of(
                new TopicIdPartition(TOPIC_ID, 0, TOPIC),
                new ProduceResponse.PartitionResponse(Errors.NONE, 42L, -1L, 0L))));
        // lingering (Kafka's linger.ms) holds the record until the close makes its batch ready
        Future<RecordMetadata> accepted = connection.send(new ProducerRecord<>(TOPIC, "k", "v"));
        // the engine (and its sender Work) starts with the connection's first call
        workManager.runScheduled();
        // a stop before the loop runs would abandon the record: wait until the loop took the InitProducerId answer
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_BOUND_SECONDS);
        while (client.futureResponses().size() > 1) {
            assertTrue(System.nanoTime() < deadline, "the sender loop did not start within " + REAL_BOUND_SECONDS + " s");
            Thread.onSpinWait();
        }

        long stopStartedMs = time.milliseconds();
        Thread stopper = startStop();
        stopper.join(TimeUnit.SECONDS.toMillis(REAL_BOUND_SECONDS));

        assertFalse(stopper.isAlive(), "stop() did not return after the record was delivered");
        assertEquals(0, time.milliseconds() - stopStartedMs, "clock time stop() waited");
        assertEquals(42L, accepted.get(0, TimeUnit.SECONDS).offset(), "offset the broker acknowledged");
    }

    /**
     * A container that shuts its work manager down before the adapter stopped releases the running Works, and may stop
     * its thread pool right after (WildFly's then fails a task that ends later with "Maximum permit count exceeded"):
     * release() returns only once the loop has ended, after a drain of 5 s on the engine's clock and a forced close.
     */
    @Test
    void theContainersReleaseReturnsOnlyAfterTheSenderLoopHasEnded() throws Exception {
        Future<RecordMetadata> pending = undeliverableRecordWithTheLoopRunning();

        long releaseStartedMs = time.milliseconds();
        Thread releaser = new Thread(workManager::releaseStarted, "container-release");
        releaser.setDaemon(true);
        releaser.start();
        awaitCloseWaitingOnTheClock(releaser);
        time.sleep(4_999);
        assertFalse(pending.isDone(), "the record was failed before the release's drain time had passed");
        assertTrue(releaser.isAlive(), "release() returned while the loop was still delivering");
        awaitCloseWaitingOnTheClock(releaser);
        time.sleep(1);
        releaser.join(TimeUnit.SECONDS.toMillis(REAL_BOUND_SECONDS));

        assertFalse(releaser.isAlive(), "release() did not return after the forced close");
        assertTrue(pending.isDone(), "the loop had ended (the forced close failed the record) when release() returned");
        long waited = time.milliseconds() - releaseStartedMs;
        assertTrue(waited >= 5_000 && waited <= 5_100, "clock time release() waited: " + waited + " ms");
    }

    /**
     * After the loop ended, the container thread still finishes the Work and reports it completed; a container may
     * stop its thread pool as soon as the adapter's stop returned (WildFly's then fails the late task with "Maximum
     * permit count exceeded"): stop() returns only once the container reported the Work completed.
     */
    @Test
    void stopReturnsOnlyAfterTheContainerReportedTheSenderWorkCompleted() throws Exception {
        adapter.setShutdownTimeoutMs(0L);
        workManager.holdCompletions();
        Future<RecordMetadata> pending = undeliverableRecordWithTheLoopRunning();

        Thread stopper = startStop();
        // the forced close fails the record, and the loop ends, before the container reports the Work completed
        assertThrows(ExecutionException.class, () -> pending.get(REAL_BOUND_SECONDS, TimeUnit.SECONDS));
        stopper.join(300);
        assertTrue(stopper.isAlive(), "stop() returned while the container thread was still finishing the Work");
        workManager.letCompletionsGo();
        stopper.join(TimeUnit.SECONDS.toMillis(REAL_BOUND_SECONDS));

        assertFalse(stopper.isAlive(), "stop() did not return once the container reported the Work completed");
    }

    /**
     * Open Liberty stops an adapter inside an EAR after it removed the EAR's class cache, so a class first needed at
     * the stop cannot be loaded. That engine's failure must not keep the other engines' sender loops running (they
     * would outlive the application, and Liberty's stop waits out its quiesce for them).
     */
    @Test
    void anEngineWhoseClassesAreGoneAtTheStopDoesNotKeepTheOtherEnginesRunning() throws Exception {
        adapter.setShutdownTimeoutMs(0L);
        adapter.start(new FakeBootstrapContext(workManager));
        openConnection();
        // the supervisor starts the next engine once the container started the previous one's sender Work
        workManager.runScheduled();
        openConnection();
        workManager.runScheduled();
        assertEquals(2, created.size(), "one engine per definition");
        created.get(0).beforeRelease(() -> {
            throw new ClassFormatError("Could not read class 'io.kafkara.observe.ProducerMeter' (the server removed "
                    + "the adapter's classes)");
        });

        adapter.stop();

        assertTrue(created.stream().allMatch(ProducerEngine::isClosed), "every engine was closed");
        assertTrue(workManager.allWorkEndedWithin(REAL_BOUND_SECONDS, TimeUnit.SECONDS),
                "a sender loop outlived the stop");
        // released: its metrics are gone (NaN), although the action before its release failed
        for (ProducerEngine engine : created) {
            assertTrue(Double.isNaN(engine.producerMetric("record-send-total")), engine.clientId() + " released");
        }
    }

    /** An engine asked for while the adapter stops would outlive the stop: once closeAll() began, launch refuses. */
    @Test
    void noEngineStartsOnceTheSupervisorClosedItsEngines() {
        EngineSupervisor supervisor = new EngineSupervisor(workManager, java.time.Duration.ZERO,
                this::engineOverMockClient);
        supervisor.closeAll();

        ResourceException refused = assertThrows(ResourceException.class, () -> supervisor.launch(Map.of(
                "bootstrap.servers", "localhost:9092", "key.serializer", StringSerializer.class,
                "value.serializer", StringSerializer.class, "client.id", "late-1"), getClass().getClassLoader()));

        assertTrue(refused.getMessage().contains("stopping"), refused.getMessage());
        assertEquals(0, workManager.scheduledCount(), "no sender Work was scheduled");
        assertEquals(0, supervisor.runningCount());
    }

    @Test
    void aNegativeShutdownTimeoutFailsTheStartNamingThePropertyAndValue() {
        adapter.setShutdownTimeoutMs(-1L);

        ResourceAdapterInternalException refused = assertThrows(ResourceAdapterInternalException.class,
                () -> adapter.start(new FakeBootstrapContext(workManager)));

        assertTrue(refused.getMessage().contains("shutdownTimeoutMs is -1"), refused.getMessage());
        assertThrows(ResourceException.class, adapter::engines, "a failed start leaves the adapter stopped");
    }

    /**
     * Starts the adapter and sends a record the broker never lets through (it never answers InitProducerId). The
     * engine (and its sender Work) starts with the connection's first call; a stop before the loop runs would abandon
     * the record at once, so this waits until the loop has asked for a producer id.
     */
    private Future<RecordMetadata> undeliverableRecordWithTheLoopRunning() throws Exception {
        adapter.start(new FakeBootstrapContext(workManager));
        Future<RecordMetadata> pending = openConnection().send(new ProducerRecord<>(TOPIC, "k", "v"));
        workManager.runScheduled();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_BOUND_SECONDS);
        while (client.requests().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the sender loop did not start within " + REAL_BOUND_SECONDS + " s");
            Thread.onSpinWait();
        }
        return pending;
    }

    private KafkaConnection openConnection() throws ResourceException {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        factory.setBootstrapServers("localhost:9092");
        factory.setKeySerializer(StringSerializer.class.getName());
        factory.setValueSerializer(StringSerializer.class.getName());
        factory.setResourceAdapter(adapter);
        KafkaConnection connection = (KafkaConnection) factory.createManagedConnection(null, null)
                .getConnection(null, null);
        assertEquals(1, workManager.scheduledCount(), "the engine's sender loop is scheduled with its first connection");
        return connection;
    }

    private ProducerEngine engineOverMockClient(Map<String, Object> config, ClassLoader loader) {
        ProducerEngine engine = EngineAccess.create(config, loader, time, metadata -> {
            client = new MockClient(time, metadata);
            // the producer keeps metadata only for topics it uses: register the topic as a send would
            metadata.add(TOPIC, time.milliseconds());
            client.updateMetadata(RequestTestUtils.metadataUpdateWithIds(1, Map.of(TOPIC, 1), Map.of(TOPIC, TOPIC_ID)));
            return client;
        });
        created.add(engine);
        return engine;
    }

    private Thread startStop() {
        Thread stopper = new Thread(adapter::stop, "adapter-stop");
        stopper.setDaemon(true);
        stopper.start();
        return stopper;
    }

    /** Waits (bounded, real time) until stop() blocks in the engine's clock-driven wait for its sender loop. */
    private static void awaitCloseWaitingOnTheClock(Thread stopper) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAL_BOUND_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean waiting = stopper.getState() == Thread.State.WAITING && Arrays.stream(stopper.getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().equals("waitObject"));
            if (waiting) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("stop() did not start waiting for the sender loop within " + REAL_BOUND_SECONDS + " s");
    }
}
