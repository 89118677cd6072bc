package io.kafkara.it.tx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.transaction.RollbackException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.tx.timeout.BeanManagedSends;
import io.kafkara.it.tx.timeout.ContainerManagedSends;
import io.kafkara.it.tx.timeout.OrderRow;
import io.kafkara.it.tx.timeout.PacedSends;
import io.kafkara.it.tx.timeout.TimeoutRun;
import io.kafkara.it.tx.timeout.UserTransactionScenarios;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.OrderService.Via;

/**
 * A JTA transaction with a 2 s timeout that keeps sending for 5 s, through the LocalTransaction and the
 * XATransaction definition of the sample: container-managed (one handle, or a handle per send), bean-managed, and
 * bean-managed with the handle obtained before {@code begin()}. When the reaper rolls the transaction back, the
 * next send must fail with an exception that names the transaction timeout, and nothing of the transaction may
 * become visible: not the order row, and no record to a read_committed reader, although a read_uncommitted reader
 * shows that records were sent (inside the Kafka transaction that was aborted). A record that went through the
 * shared, non-transactional engine would be visible to read_committed readers.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, BranchJournalSetup.class})
class TransactionTimeoutIT {

    private static final long TIMEOUT_MS = 2_000;
    /** The bean notes the start at its first line, just after the container began the transaction. */
    private static final long START_SLACK_MS = 100;

    @Deployment
    static EnterpriseArchive sample() {
        EnterpriseArchive ear = SampleDeployment.withTests(TransactionTimeoutIT.class, CommittedReader.class,
                BranchJournalSetup.class, TimeoutRun.class, PacedSends.class,
                PacedSends.Send.class, OrderRow.class, UserTransactionScenarios.class);
        // The server deploys no enterprise bean from the EAR's library jar: the beans need an EJB module.
        return ear.addAsModule(ShrinkWrap.create(JavaArchive.class, "tx-timeout-beans.jar")
                .addClasses(ContainerManagedSends.class, BeanManagedSends.class)
                .addAsManifestResource("tx-timeout/jboss-ejb3.xml", "jboss-ejb3.xml"));
    }

    @EJB
    private ContainerManagedSends containerManaged;

    @EJB
    private BeanManagedSends beanManaged;

    @EJB
    private OrderService orders;

    @Test
    void localContainerManagedTransactionThatTimesOutOnOneConnectionShowsNothing() {
        containerManagedTimesOut(Via.LOCAL, containerManaged::sendOnOneConnection);
    }

    @Test
    void xaContainerManagedTransactionThatTimesOutOnOneConnectionShowsNothing() {
        containerManagedTimesOut(Via.XA, containerManaged::sendOnOneConnection);
    }

    @Test
    void localContainerManagedTransactionThatTimesOutWithAConnectionPerSendShowsNothing() {
        containerManagedTimesOut(Via.LOCAL, containerManaged::sendOnAConnectionPerSend);
    }

    @Test
    void xaContainerManagedTransactionThatTimesOutWithAConnectionPerSendShowsNothing() {
        containerManagedTimesOut(Via.XA, containerManaged::sendOnAConnectionPerSend);
    }

    @Test
    void localUserTransactionThatTimesOutShowsNothing() throws Exception {
        beanManagedTimesOut(Via.LOCAL, beanManaged::sendInTheTransaction);
    }

    @Test
    void xaUserTransactionThatTimesOutShowsNothing() throws Exception {
        beanManagedTimesOut(Via.XA, beanManaged::sendInTheTransaction);
    }

    @Test
    void localUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        beanManagedTimesOut(Via.LOCAL, beanManaged::sendOnAConnectionObtainedBeforeBegin);
    }

    @Test
    void xaUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        beanManagedTimesOut(Via.XA, beanManaged::sendOnAConnectionObtainedBeforeBegin);
    }

    @FunctionalInterface
    private interface Scenario {
        void run(Via via, TimeoutRun run) throws Exception;
    }

    private void containerManagedTimesOut(Via via, Scenario scenario) {
        TimeoutRun run = newRun(via);
        long started = System.nanoTime();
        Exception call = null;
        try {
            scenario.run(via, run);
        } catch (Exception e) {
            call = e;
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        Exception callFailure = call;

        Outcome seen = Outcome.of(orders, via, run, tookMs, TimeoutRun.chain(callFailure));
        seen.assertTimedOutAndShowsNothing(() -> assertInstanceOf(EJBException.class, callFailure,
                "the container cannot commit a transaction its timeout rolled back"));
    }

    private void beanManagedTimesOut(Via via, Scenario scenario) throws Exception {
        TimeoutRun run = newRun(via);
        long started = System.nanoTime();
        scenario.run(via, run);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        Outcome seen = Outcome.of(orders, via, run, tookMs, "returned");
        seen.assertTimedOutAndShowsNothing(() -> assertInstanceOf(RollbackException.class, run.commitFailure(),
                "commit() of a transaction its timeout rolled back"));
    }

    private static TimeoutRun newRun(Via via) {
        String topic = "tx-timeout-" + via.name().toLowerCase() + "-" + UUID.randomUUID();
        Topics.create(bootstrap(), topic, 1);
        return new TimeoutRun(topic, "order-" + UUID.randomUUID());
    }

    /** What a finished scenario left behind: read once, then asserted all together so a report shows every fact. */
    private record Outcome(TimeoutRun run, long tookMs, String call, boolean rowExists,
                           List<String> committedValues, List<String> uncommittedValues) {

        /**
         * Commits a marker record on the same single-partition topic and reads to it with both isolation levels:
         * the scenario's records all come before it.
         */
        static Outcome of(OrderService orders, Via via, TimeoutRun run, long tookMs, String call) {
            String marker = "marker-" + UUID.randomUUID();
            orders.placeOrder(via, run.topic(), marker, List.of("marker"));
            List<ConsumerRecord<String, String>> committed = CommittedReader.readUntil(bootstrap(), run.topic(),
                    records -> !valuesOf(records, marker).isEmpty());
            List<ConsumerRecord<String, String>> uncommitted = CommittedReader.readUntil(bootstrap(), run.topic(),
                    "read_uncommitted", records -> !valuesOf(records, marker).isEmpty());
            return new Outcome(run, tookMs, call, orders.orderExists(run.key()),
                    valuesOf(committed, run.key()), valuesOf(uncommitted, run.key()));
        }

        /** All checks run, so a failure lists every fact; {@code endOfCall} checks how the call itself ended. */
        void assertTimedOutAndShowsNothing(Executable endOfCall) {
            assertAll(toString(),
                    endOfCall,
                    () -> assertTrue(tookMs >= TIMEOUT_MS, "the scenario outlived its 2 s timeout"),
                    () -> assertNotNull(run.firstFailure(), "a send after the timeout fails"),
                    () -> assertTrue(run.firstFailureAfterMs() >= TIMEOUT_MS - START_SLACK_MS,
                            "the first send failed only once the timeout had struck"),
                    () -> assertTrue(TimeoutRun.namesTheTimeout(run.firstFailure()),
                            "the failed send says that the transaction timeout rolled it back"),
                    () -> assertFalse(rowExists, "the order row was rolled back"),
                    () -> assertEquals(List.of(), committedValues,
                            "no record of the timed-out transaction is visible to read_committed"),
                    () -> assertFalse(uncommittedValues.isEmpty(),
                            "read_uncommitted shows the records sent before the timeout"),
                    () -> assertTrue(uncommittedValues.size() >= run.sent(), "every acknowledged record is in the log"));
        }

        @Override
        public String toString() {
            return run + "; call took " + tookMs + " ms and ended: " + call + "; row exists: " + rowExists
                    + "; records of the run visible to read_committed: " + committedValues.size() + " "
                    + committedValues + ", to read_uncommitted: " + uncommittedValues.size();
        }
    }

    private static List<String> valuesOf(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
    }

    private static String bootstrap() {
        return System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
