package io.kafkara.it.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.sample.OrderRejectedException;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.OrderService.Via;

/**
 * The sample's OrderService (CMT, REQUIRED) writes an order row to an XA datasource and sends one Kafka event per
 * line, through the LocalTransaction definition (the Kafka transaction is the last resource) and through the
 * XATransaction definition (two-phase commit). Readers use read_committed. Each "nothing visible" check first
 * commits a marker order on the same single-partition topic and waits for it, so the last stable offset is past
 * whatever the failed transaction sent.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, BranchJournalSetup.class})
class TransactionsIT {

    private static final List<String> THREE_LINES = List.of("line-1", "line-2", "line-3");

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(TransactionsIT.class, CommittedReader.class, BranchJournalSetup.class);
    }

    @EJB
    private OrderService orders;

    @Test
    void localCommitMakesTheRowAndAllThreeEventsVisible() {
        commitShowsRowAndEvents(Via.LOCAL);
    }

    @Test
    void xaCommitMakesTheRowAndAllThreeEventsVisible() {
        commitShowsRowAndEvents(Via.XA);
    }

    @Test
    void xaPreparesTheBranchInTheJournalAndRemovesItAtCommit() {
        List<ConsumerRecord<byte[], byte[]>> before = CommittedReader.journal(bootstrap(), BranchJournalSetup.TOPIC);

        orders.placeOrder(Via.XA, topic(Via.XA), "order-" + UUID.randomUUID(), THREE_LINES);

        List<ConsumerRecord<byte[], byte[]>> after = CommittedReader.journal(bootstrap(), BranchJournalSetup.TOPIC);
        List<ConsumerRecord<byte[], byte[]>> added = after.subList(before.size(), after.size());
        assertEquals(2, added.size(), "prepare journals the branch, commit writes its tombstone: " + added);
        assertTrue(added.get(0).value() != null && added.get(1).value() == null, "record, then tombstone");
        assertEquals(new String(added.get(0).key()), new String(added.get(1).key()), "the same Xid");
    }

    @Test
    void localTransactionsWriteNothingToTheJournal() {
        List<ConsumerRecord<byte[], byte[]>> before = CommittedReader.journal(bootstrap(), BranchJournalSetup.TOPIC);

        commitShowsRowAndEvents(Via.LOCAL);

        assertEquals(before.size(), CommittedReader.journal(bootstrap(), BranchJournalSetup.TOPIC).size(),
                "one phase, nothing prepared");
    }

    /** WildFly logs IJ020016 for an XA definition without recovery credentials and never calls its recover(). */
    @Test
    void theXaDefinitionIsRegisteredForRecovery() throws Exception {
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("jboss.server.log.dir"), "server.log");
        List<String> missing = java.nio.file.Files.readAllLines(log).stream()
                .filter(line -> line.contains("IJ020016") && line.contains(SampleDeployment.WILDFLY_XA_FACTORY)).toList();
        assertEquals(List.of(), missing);
    }

    /**
     * The shared test broker is a stock one: at its first transactional use the XA definition warns once, with the
     * window after which the broker aborts a prepared branch: the sample sets no transactionTimeoutMs, so the adapter
     * took the broker's transaction.max.timeout.ms (Kafka's default, 15 min), not the producer's 60 s default.
     */
    @Test
    void theXaDefinitionWarnsOnceThatTheStockBrokerAbortsPreparedBranchesAfterTheTimeout() throws Exception {
        commitShowsRowAndEvents(Via.XA);
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("jboss.server.log.dir"), "server.log");
        List<String> sinceDeployed = linesSinceTheSampleWasLastDeployed(log);
        List<String> warnings = sinceDeployed.stream()
                .filter(line -> line.contains("KAFKARA-TX-031") && line.contains("transactionalIdPrefix=sample-xa"))
                .toList();
        assertEquals(1, warnings.size(), "one warning for the XA definition: " + warnings);
        assertTrue(warnings.get(0).contains(" WARN ") && warnings.get(0).contains("stock broker: a prepared branch "
                + "is aborted by the broker after transaction.timeout.ms=900000 ms (broker cap "
                + "transaction.max.timeout.ms); commits later than that are reported as heuristic rollback"),
                warnings.get(0));
        assertTrue(sinceDeployed.stream().anyMatch(line -> line.contains("KAFKARA-TX-032: XA definition "
                + "transactionalIdPrefix=sample-xa: transaction.timeout.ms=900000 ms, the brokers' "
                + "transaction.max.timeout.ms")), "the adapter asked the broker for its maximum and says so");
        assertTrue(sinceDeployed.stream().noneMatch(line -> line.contains("KAFKARA-TX-03")
                && line.contains("transactionalIdPrefix=sample-local")), "a LocalTransaction definition says nothing");
    }

    /**
     * The server log since this class's deployment of the sample EAR: every deployment of it (other test classes
     * deploy it too) makes its own adapter instance, which decides the broker mode once.
     */
    private static List<String> linesSinceTheSampleWasLastDeployed(java.nio.file.Path log) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(log);
        int deployed = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("WFLYSRV0027") && lines.get(i).contains("\"kafka-ra-sample.ear\"")) {
                deployed = i;
            }
        }
        assertTrue(deployed >= 0, "the server log shows the sample EAR deploying");
        return lines.subList(deployed, lines.size());
    }

    @Test
    void localExceptionOfTheBeanShowsNeitherRowNorEvents() {
        exceptionShowsNothing(Via.LOCAL);
    }

    @Test
    void xaExceptionOfTheBeanShowsNeitherRowNorEvents() {
        exceptionShowsNothing(Via.XA);
    }

    @Test
    void localSetRollbackOnlyShowsNeitherRowNorEvents() {
        rollbackOnlyShowsNothing(Via.LOCAL);
    }

    @Test
    void xaSetRollbackOnlyShowsNeitherRowNorEvents() {
        rollbackOnlyShowsNothing(Via.XA);
    }

    @Test
    void localFailedSendShowsNeitherRowNorEvents() {
        failedSendShowsNothing(Via.LOCAL);
    }

    @Test
    void xaFailedSendShowsNeitherRowNorEvents() {
        failedSendShowsNothing(Via.XA);
    }

    @Test
    void twentyConcurrentLocalTransactionsKeepTheirRecordsApart() throws Exception {
        concurrentTransactionsStayApart(Via.LOCAL);
    }

    @Test
    void twentyConcurrentXaTransactionsKeepTheirRecordsApart() throws Exception {
        concurrentTransactionsStayApart(Via.XA);
    }

    private void commitShowsRowAndEvents(Via via) {
        String topic = topic(via);
        String order = "order-" + UUID.randomUUID();

        orders.placeOrder(via, topic, order, THREE_LINES);

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrap(), topic,
                records -> valuesOf(records, order).size() == 3);
        assertEquals(THREE_LINES, valuesOf(read, order));
        assertTrue(orders.orderExists(order), "the order row is committed with the events");
    }

    private void exceptionShowsNothing(Via via) {
        String topic = topic(via);
        String order = "order-" + UUID.randomUUID();

        assertThrows(OrderRejectedException.class,
                () -> orders.placeOrder(via, topic, order, List.of("line-1", "line-2", " ")));

        assertNothingVisible(via, topic, order);
    }

    private void rollbackOnlyShowsNothing(Via via) {
        String topic = topic(via);
        String order = "order-" + UUID.randomUUID();

        assertFalse(orders.placeOrderWithinLimit(via, topic, order, THREE_LINES, 2));

        assertNothingVisible(via, topic, order);
    }

    private void failedSendShowsNothing(Via via) {
        String topic = topic(via);
        String order = "order-" + UUID.randomUUID();
        // Over Kafka's max.request.size (1 MiB, not set by the definition): the engine refuses the record.
        String tooLarge = "x".repeat(2 * 1024 * 1024);

        assertThrows(EJBException.class, () -> orders.placeOrder(via, topic, order,
                List.of("line-1", tooLarge, "line-3")));

        assertNothingVisible(via, topic, order);
    }

    private void concurrentTransactionsStayApart(Via via) throws Exception {
        String topic = topic(via);
        int transactions = 20;
        ExecutorService callers = Executors.newFixedThreadPool(transactions);
        Map<String, Boolean> committed = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < transactions; i++) {
                String order = "order-" + i + "-" + UUID.randomUUID();
                // Every fourth transaction is rejected after two of its lines were sent.
                boolean rejected = i % 4 == 3;
                List<String> lines = List.of(order + "/1", order + "/2", rejected ? " " : order + "/3");
                calls.add(() -> {
                    try {
                        orders.placeOrder(via, topic, order, lines);
                        committed.put(order, true);
                    } catch (OrderRejectedException e) {
                        committed.put(order, false);
                    }
                    return null;
                });
            }
            for (Future<Void> call : callers.invokeAll(calls, 120, TimeUnit.SECONDS)) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(transactions, committed.size());

        long expected = committed.values().stream().filter(c -> c).count() * 3;
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrap(), topic,
                records -> records.size() >= expected);
        assertEquals(expected, read.size(), "records of committed transactions only");
        for (ConsumerRecord<String, String> record : read) {
            assertTrue(record.value().startsWith(record.key() + "/"), "a record of another transaction: " + record);
        }
        Map<String, List<String>> byOrder = read.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
        committed.forEach((order, ok) -> {
            assertEquals(ok ? List.of(order + "/1", order + "/2", order + "/3") : null, byOrder.get(order),
                    "records of " + order);
            assertEquals(ok, orders.orderExists(order), "row of " + order);
        });
    }

    /** Commits a marker order on the topic and waits for it: the failed order's records come before it. */
    private void assertNothingVisible(Via via, String topic, String order) {
        String marker = "marker-" + UUID.randomUUID();
        orders.placeOrder(via, topic, marker, List.of("marker"));
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrap(), topic,
                records -> valuesOf(records, marker).size() == 1);
        assertEquals(List.of(), valuesOf(read, order), "no event of the rolled back order is visible");
        assertFalse(orders.orderExists(order), "the order row was rolled back with the events");
    }

    private static List<String> valuesOf(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
    }

    private static String topic(Via via) {
        String topic = "tx-" + via.name().toLowerCase() + "-" + UUID.randomUUID();
        Topics.create(bootstrap(), topic, 1);
        return topic;
    }

    private static String bootstrap() {
        return System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
