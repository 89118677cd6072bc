package io.kafkara.it.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * The callers of the broker fault scenarios, each on a container thread (EJB asynchronous methods), the way an
 * application sends: one caller per key range, so per-key send order is one caller's order. Every outcome the caller
 * sees is written to its {@link CallerLog}: an acknowledged or failed send, or a transaction with the records it sent
 * and how its commit ended.
 */
@Stateless
public class FailoverCallers {

    /** How long a caller waits for one acknowledgement: beyond Kafka's delivery.timeout.ms (120 s by default). */
    private static final long ACK_WAIT_SECONDS = 150;

    @Resource
    private SessionContext context;

    /**
     * Sends keyed records without a transaction, {@code inFlight} at a time, until the test says stop (at most
     * {@code records}), and logs each outcome.
     */
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Future<CallerLog> sendRecords(String jndi, String topic, int caller, int records, int keys, int inFlight) {
        CallerLog log = new CallerLog(caller);
        try (KafkaConnection kafka = factory(jndi).getConnection()) {
            List<Pending> window = new ArrayList<>();
            for (int seq = 0; seq < records && !CallerLog.STOP.get(); seq++) {
                String key = "c" + caller + "-k" + (seq % keys);
                String value = "c" + caller + "-" + seq;
                window.add(new Pending(key, value, send(kafka, topic, key, value)));
                if (window.size() >= inFlight) {
                    settle(window, log);
                }
            }
            settle(window, log);
        } catch (RuntimeException | NamingException e) {
            log.aborted(e.toString());
        }
        return CompletableFuture.completedFuture(log);
    }

    /** A send the engine refused at once fails like one Kafka failed later: the caller saw it either way. */
    private static Future<RecordMetadata> send(KafkaConnection kafka, String topic, String key, String value) {
        try {
            return kafka.send(new ProducerRecord<>(topic, key, value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private record Pending(String key, String value, Future<RecordMetadata> ack) {
    }

    /** Waits for the window's acknowledgements in send order, so the log keeps each key's send order. */
    private static void settle(List<Pending> window, CallerLog log) {
        for (Pending pending : window) {
            try {
                pending.ack().get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
                log.acknowledged(pending.key(), pending.value());
            } catch (ExecutionException e) {
                log.failed(pending.key(), pending.value(), String.valueOf(e.getCause()));
            } catch (TimeoutException e) {
                log.failed(pending.key(), pending.value(), "no answer within " + ACK_WAIT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.failed(pending.key(), pending.value(), "interrupted");
            }
        }
        window.clear();
    }

    /**
     * Runs JTA transactions of {@code size} records each (every third one rolled back), one after another until the
     * test says stop (at most {@code transactions}), each through this bean's own business interface so that it gets
     * its own transaction.
     */
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Future<CallerLog> runTransactions(String jndi, String topic, int caller, int transactions, int size) {
        CallerLog log = new CallerLog(caller);
        FailoverCallers self = context.getBusinessObject(FailoverCallers.class);
        for (int number = 0; number < transactions && !CallerLog.STOP.get(); number++) {
            String id = "c" + caller + "-t" + number;
            boolean rollback = number % 3 == 2;
            List<String> values = new ArrayList<>();
            for (int seq = 0; seq < size; seq++) {
                values.add(id + "-" + seq);
            }
            String key = "c" + caller;
            try {
                self.oneTransaction(jndi, topic, key, values, rollback);
                log.transaction(id, key, values, rollback ? CallerLog.Outcome.ROLLED_BACK : CallerLog.Outcome.COMMITTED,
                        "");
            } catch (EJBTransactionRolledbackException e) {
                log.transaction(id, key, values, CallerLog.Outcome.ROLLED_BACK, String.valueOf(rootCause(e)));
            } catch (RuntimeException e) {
                // The commit's outcome is not known to the caller (a heuristic, a lost connection): the checker
                // decides from what is visible, and reports it apart.
                log.transaction(id, key, values, CallerLog.Outcome.UNKNOWN, String.valueOf(rootCause(e)));
            }
        }
        return CompletableFuture.completedFuture(log);
    }

    /** One transaction: sends every value under one key, then asks for a rollback if {@code rollback}. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void oneTransaction(String jndi, String topic, String key, List<String> values, boolean rollback) {
        KafkaConnectionFactory factory;
        try {
            factory = factory(jndi);
        } catch (NamingException e) {
            throw new IllegalStateException("not bound: " + jndi, e);
        }
        try (KafkaConnection kafka = factory.getConnection()) {
            for (String value : values) {
                kafka.send(new ProducerRecord<>(topic, key, value));
            }
        }
        if (rollback) {
            context.setRollbackOnly();
        }
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static KafkaConnectionFactory factory(String jndi) throws NamingException {
        return (KafkaConnectionFactory) new InitialContext().lookup(jndi);
    }
}
