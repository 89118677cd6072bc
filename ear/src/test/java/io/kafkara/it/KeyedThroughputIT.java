package io.kafkara.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.sample.OrderEvents;

/**
 * 100,000 keyed records from 4 concurrent EJB callers, read back by a plain consumer: every record exactly once,
 * per-key order kept; the sender loop runs on the server's JCA work manager, never on a Kafka network thread;
 * the engine's JMX metrics count what was sent.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class KeyedThroughputIT {

    private static final int CALLERS = 4;
    private static final int RECORDS_PER_CALLER = 25_000;
    private static final int KEYS_PER_CALLER = 25;
    private static final int RECORDS_PER_CALL = 1_000;

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(KeyedThroughputIT.class);
    }

    @EJB
    private OrderEvents orderEvents;

    @Resource
    private ManagedExecutorService executor;

    @Test
    void everyKeyedRecordArrivesOnceInOrderFromTheWorkManagersThread() throws Exception {
        String topic = "keyed-" + UUID.randomUUID();
        Topics.create(bootstrapServers(), topic, 6);

        List<Future<Integer>> callers = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            int id = caller;
            callers.add(executor.submit(() -> publishAsCaller(topic, id)));
        }
        Set<String> threadsWhileSending = threadsWhileAnyRunning(callers);
        int acknowledged = 0;
        for (Future<Integer> caller : callers) {
            acknowledged += caller.get();
        }

        assertEquals(CALLERS * RECORDS_PER_CALLER, acknowledged);
        assertFalse(threadsWhileSending.stream().anyMatch(name -> name.startsWith("kafka-producer-network-thread")),
                "No Kafka network thread may exist in the server; threads: " + threadsWhileSending);
        assertSenderLoopRunsOnJcaWorkManagerThread();
        assertEquals(CALLERS * RECORDS_PER_CALLER, recordSendTotal(), "record-send-total of the sample's engine");
        assertReadBackOnceInOrder(topic);
    }

    /** One caller: its own keys, values numbered per key, sent in calls of 1,000 records. */
    private int publishAsCaller(String topic, int caller) {
        Map<String, Integer> nextSequence = new HashMap<>();
        int sent = 0;
        while (sent < RECORDS_PER_CALLER) {
            List<Map.Entry<String, String>> call = new ArrayList<>(RECORDS_PER_CALL);
            for (int i = 0; i < RECORDS_PER_CALL; i++, sent++) {
                String key = "caller" + caller + "-key" + (sent % KEYS_PER_CALLER);
                int sequence = nextSequence.merge(key, 1, Integer::sum) - 1;
                call.add(Map.entry(key, Integer.toString(sequence)));
            }
            orderEvents.publishAll(topic, call);
        }
        return sent;
    }

    private static Set<String> threadsWhileAnyRunning(List<Future<Integer>> callers) {
        if (callers.stream().allMatch(Future::isDone)) {
            throw new AssertionError("All callers finished before the thread dump; the test proves nothing");
        }
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .map(ThreadInfo::getThreadName)
                .collect(Collectors.toSet());
    }

    /**
     * The thread running Kafka's Sender loop was handed out by IronJacamar's work manager (its WorkWrapper is on
     * the stack), and the default work manager's long-running pool has a thread busy with it.
     */
    private static void assertSenderLoopRunsOnJcaWorkManagerThread() throws Exception {
        List<ThreadInfo> senderThreads = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .filter(info -> hasFrame(info, "org.apache.kafka.clients.producer.internals.Sender", "run"))
                .toList();
        assertFalse(senderThreads.isEmpty(), "No thread runs Sender.run()");
        for (ThreadInfo thread : senderThreads) {
            assertTrue(hasFrame(thread, "org.jboss.jca.core.workmanager.WorkWrapper", "run"),
                    "Sender loop on thread '" + thread.getThreadName() + "' was not started by the JCA work manager");
        }
        ObjectName longRunningPool = new ObjectName(
                "jboss.as:subsystem=jca,workmanager=default,long-running-threads=default");
        int busy = ((Number) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(longRunningPool, "currentThreadCount")).intValue();
        assertTrue(busy >= senderThreads.size(), "long-running pool threads: " + busy + ", sender loops: " + senderThreads.size());
    }

    private static boolean hasFrame(ThreadInfo thread, String className, String method) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(className) && frame.getMethodName().equals(method));
    }

    private static long recordSendTotal() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> engines = jmx.queryNames(new ObjectName("kafka.producer:type=producer-metrics,client-id=*"), null);
        assertEquals(1, engines.size(), "one engine serves the sample's connection definition: " + engines);
        return ((Number) jmx.getAttribute(engines.iterator().next(), "record-send-total")).longValue();
    }

    private static void assertReadBackOnceInOrder(String topic) {
        Map<String, Integer> expectedNext = new HashMap<>();
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (read < CALLERS * RECORDS_PER_CALLER && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    int expected = expectedNext.getOrDefault(record.key(), 0);
                    assertEquals(expected, Integer.parseInt(record.value()),
                            "key " + record.key() + " at " + record.partition() + "@" + record.offset()
                                    + ": duplicate, gap or reordering");
                    expectedNext.put(record.key(), expected + 1);
                    read++;
                }
            }
        }
        assertEquals(CALLERS * RECORDS_PER_CALLER, read, "records read back within 90 s");
        assertEquals(CALLERS * KEYS_PER_CALLER, expectedNext.size(), "distinct keys");
    }

    private static String bootstrapServers() {
        return System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
