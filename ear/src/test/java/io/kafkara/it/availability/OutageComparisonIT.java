package io.kafkara.it.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;

/**
 * A broker outage as a plain KafkaProducer and the adapter's engine (its sender loop on a test thread) see it, with
 * the same settings against one single-node broker process, without WildFly: records accepted before the outage
 * expire after delivery.timeout.ms, a send that needs metadata gives up after max.block.ms, both with Kafka's
 * TimeoutException, and both send again once the broker is back. Prints the measured times side by side.
 */
class OutageComparisonIT {

    private static final int RECORDS = 20;
    private static final long DELIVERY_TIMEOUT_MS = 6_000;
    private static final long MAX_BLOCK_MS = 3_000;
    /** Scheduling slack on a shared 2-core machine; the waits themselves are Kafka's. */
    private static final long SLACK_MS = 5_000;
    /** After a restart the clients reconnect with backoff (reconnect.backoff.max.ms, 1 s by default). */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    private static KafkaCluster kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaCluster.builder().brokers(1).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void queuedSendsExpireAndMetadataWaitsGiveUpAlikeAndBothSendAgainAfterTheOutage() throws Exception {
        String topic = "outage-" + UUID.randomUUID();
        Topics.create(kafka.bootstrapServers(), topic, 1);
        try (Client plain = Client.plain(settings("outage-plain")); Client engine = Client.engine(settings("outage-engine"))) {
            List<Client> clients = List.of(plain, engine);
            for (Client client : clients) {
                client.sendAll(topic).awaitSuccess();
            }

            kafka.stop(0);
            List<Batch> queued = new ArrayList<>();
            for (Client client : clients) {
                queued.add(client.sendAll(topic));
            }
            for (Batch batch : queued) {
                assertTrue(batch.sendMs() < MAX_BLOCK_MS, batch.name() + ": the topic's metadata is known, so send() "
                        + "returns at once, not after " + batch.sendMs() + " ms");
            }
            List<Expiry> expiries = new ArrayList<>();
            for (Batch batch : queued) {
                expiries.add(batch.awaitExpiry());
            }
            List<MetadataWait> waits = new ArrayList<>();
            for (Client client : clients) {
                waits.add(client.sendToUnknownTopic());
            }

            kafka.restart(0);
            List<Long> recoveries = new ArrayList<>();
            for (Client client : clients) {
                recoveries.add(client.firstSuccessWithin(topic, RECOVERY_LIMIT));
            }

            report(clients, queued, expiries, waits, recoveries);
            assertAlike(expiries, waits);
        }
    }

    private static void assertAlike(List<Expiry> expiries, List<MetadataWait> waits) {
        Expiry plain = expiries.get(0);
        Expiry engine = expiries.get(1);
        assertEquals(plain.failure().getClass(), engine.failure().getClass(), "the same exception for queued sends");
        assertEquals(plain.failed(), engine.failed(), "the same number of failed sends");
        assertEquals(expiredCount(plain.failure()), expiredCount(engine.failure()),
                "the same count in the expiry messages: " + plain.failure() + " | " + engine.failure());
        assertEquals(waits.get(0).failure().getClass(), waits.get(1).failure().getClass(),
                "the same exception for a send that waits for metadata");
    }

    /** The N of Kafka's "Expiring N record(s) for ...". */
    private static String expiredCount(Throwable expiry) {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("Expiring (\\d+) record")
                .matcher(expiry.getMessage());
        assertTrue(count.find(), expiry.getMessage());
        return count.group(1);
    }

    private static void report(List<Client> clients, List<Batch> queued, List<Expiry> expiries,
                               List<MetadataWait> waits, List<Long> recoveries) {
        StringBuilder table = new StringBuilder("OutageComparisonIT (delivery.timeout.ms=" + DELIVERY_TIMEOUT_MS
                + ", max.block.ms=" + MAX_BLOCK_MS + "):\n");
        table.append(String.format("  %-46s %16s %16s%n", "", "KafkaProducer", "ProducerEngine"));
        table.append(row("20 send() calls with the broker down, ms", queued.get(0).sendMs(), queued.get(1).sendMs()));
        table.append(row("first queued send failed after, ms", expiries.get(0).firstMs(), expiries.get(1).firstMs()));
        table.append(row("last queued send failed after, ms", expiries.get(0).lastMs(), expiries.get(1).lastMs()));
        table.append(row("queued sends failed", expiries.get(0).failed(), expiries.get(1).failed()));
        table.append(row("send to an unknown topic failed after, ms", waits.get(0).elapsedMs(), waits.get(1).elapsedMs()));
        table.append(row("first success after the restart took, ms", recoveries.get(0), recoveries.get(1)));
        for (int i = 0; i < clients.size(); i++) {
            table.append("  ").append(clients.get(i).name).append(": ").append(expiries.get(i).failure())
                    .append(" | ").append(waits.get(i).failure()).append('\n');
        }
        System.out.print(table);
    }

    private static String row(String what, long plain, long engine) {
        return String.format("  %-46s %16d %16d%n", what, plain, engine);
    }

    private static Map<String, Object> settings(String clientId) {
        Map<String, Object> settings = new HashMap<>(kafka.clientProperties());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT_MS);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK_MS);
        // Kafka's default (rebootstrap) drops the cluster view as soon as the only broker is unreachable, so a send
        // a moment into the outage waits max.block.ms for metadata (both clients alike, 3 s per send when tried):
        // keeping the view is what lets sends be accepted into the accumulator during the outage.
        settings.put("metadata.recovery.strategy", "none");
        return settings;
    }

    /** What both clients share for this test: a send with a callback, and a close. */
    private interface Sending {
        Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback);

        void close() throws InterruptedException;
    }

    private record Client(String name, Sending sending) implements AutoCloseable {

        static Client plain(Map<String, Object> settings) {
            KafkaProducer<String, String> producer = new KafkaProducer<>(settings);
            return new Client("KafkaProducer", new Sending() {
                @Override
                public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
                    return producer.send(record, callback);
                }

                @Override
                public void close() {
                    producer.close(Duration.ofSeconds(5));
                }
            });
        }

        static Client engine(Map<String, Object> settings) {
            ProducerEngine engine = ProducerEngine.create(settings, OutageComparisonIT.class.getClassLoader());
            Thread senderLoop = new Thread(engine.senderWork(), "kafka-ra-sender-" + engine.clientId());
            senderLoop.start();
            return new Client("ProducerEngine", new Sending() {
                @Override
                public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
                    return engine.send(record, callback);
                }

                @Override
                public void close() throws InterruptedException {
                    engine.close(Duration.ofSeconds(5));
                    senderLoop.join(TimeUnit.SECONDS.toMillis(30));
                    assertFalse(senderLoop.isAlive(), "the sender loop ends when the engine closes");
                }
            });
        }

        Batch sendAll(String topic) {
            long start = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<Long> completedAt = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < RECORDS; i++) {
                acks.add(sending.send(new ProducerRecord<>(topic, "order-" + i, "created"),
                        (metadata, e) -> completedAt.add(System.nanoTime())));
            }
            return new Batch(name, start, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), acks, completedAt);
        }

        MetadataWait sendToUnknownTopic() throws InterruptedException {
            String unknown = "unknown-" + UUID.randomUUID();
            long start = System.nanoTime();
            Future<RecordMetadata> ack = sending.send(new ProducerRecord<>(unknown, "order-x", "created"), null);
            Throwable failure = null;
            try {
                ack.get(MAX_BLOCK_MS + SLACK_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                failure = e;
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertNotNull(failure, name + ": a send to an unknown topic succeeded with the broker down");
            TimeoutException timeout = assertInstanceOf(TimeoutException.class, failure, name);
            assertTrue(elapsedMs >= MAX_BLOCK_MS - 100 && elapsedMs < MAX_BLOCK_MS + SLACK_MS,
                    name + ": gave up after " + elapsedMs + " ms, not after max.block.ms (" + MAX_BLOCK_MS + " ms)");
            return new MetadataWait(elapsedMs, timeout);
        }

        /** Sends one record at a time until one is acknowledged; returns how long that took. */
        long firstSuccessWithin(String topic, Duration bound) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + bound.toNanos();
            Throwable lastFailure = null;
            while (System.nanoTime() < deadline) {
                try {
                    RecordMetadata written = sending.send(new ProducerRecord<>(topic, "order-back", "created"), null)
                            .get(DELIVERY_TIMEOUT_MS + SLACK_MS, TimeUnit.MILLISECONDS);
                    assertTrue(written.offset() >= 0, name + ": " + written);
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    lastFailure = e.getCause() == null ? e : e.getCause();
                }
            }
            throw new AssertionError(name + ": no send succeeded within " + bound + " of the broker's restart; "
                    + "last failure: " + lastFailure);
        }

        @Override
        public void close() throws InterruptedException {
            sending.close();
        }
    }

    private record Batch(String name, long startNanos, long sendMs, List<Future<RecordMetadata>> acks,
                         List<Long> completedAt) {

        void awaitSuccess() throws Exception {
            for (Future<RecordMetadata> ack : acks) {
                assertTrue(ack.get(30, TimeUnit.SECONDS).offset() >= 0, name);
            }
        }

        /** Every future fails within delivery.timeout.ms plus slack, each with Kafka's expiry timeout. */
        Expiry awaitExpiry() throws InterruptedException {
            long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MS + SLACK_MS);
            Throwable first = null;
            int failed = 0;
            for (Future<RecordMetadata> ack : acks) {
                long left = Math.max(0, deadline - System.nanoTime());
                try {
                    RecordMetadata written = ack.get(left, TimeUnit.NANOSECONDS);
                    throw new AssertionError(name + ": a send queued while the broker was down succeeded: " + written);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(name + ": a queued send had not failed after delivery.timeout.ms ("
                            + DELIVERY_TIMEOUT_MS + " ms) + " + SLACK_MS + " ms");
                } catch (ExecutionException e) {
                    TimeoutException expired = assertInstanceOf(TimeoutException.class, e.getCause(), name);
                    assertTrue(expired.getMessage().contains("Expiring"), name + ": " + expired.getMessage());
                    first = first == null ? expired : first;
                    failed++;
                }
            }
            long firstMs = TimeUnit.NANOSECONDS.toMillis(completedAt.stream().min(Long::compare).orElseThrow() - startNanos);
            long lastMs = TimeUnit.NANOSECONDS.toMillis(completedAt.stream().max(Long::compare).orElseThrow() - startNanos);
            assertTrue(firstMs >= DELIVERY_TIMEOUT_MS - 100, name + ": a queued send failed after " + firstMs
                    + " ms, before delivery.timeout.ms (" + DELIVERY_TIMEOUT_MS + " ms)");
            return new Expiry(failed, firstMs, lastMs, first);
        }
    }

    private record Expiry(int failed, long firstMs, long lastMs, Throwable failure) {
    }

    private record MetadataWait(long elapsedMs, Throwable failure) {
    }
}
