package io.kafkara.it.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.sample.OrderEvents;

/**
 * Sends to names that break Kafka's topic rules through the sample EAR's factory: each future fails at once with
 * the rule, and the server log stays quiet about them. Before the adapter checked names, a bad name went into the
 * engine's metadata and Kafka's metadata refresh logged an ERROR about it every second for five minutes.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class InvalidTopicIT {

    private static final long AT_ONCE_MS = 1_000;
    /** Kafka's metadata refresh ran about once a second for a bad name: ten seconds would show several. */
    private static final Duration QUIET_FOR = Duration.ofSeconds(10);

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(InvalidTopicIT.class);
    }

    @Test
    void badNamesFailAtOnceNamingTheRuleAndNothingAboutThemIsLoggedAgainAndAgain() throws Exception {
        Path log = Path.of(System.getProperty("jboss.server.log.dir"), "server.log");
        long logStart = log.toFile().length();
        // Unique per run, so the log lines of an earlier run cannot be confused with this one's.
        String tooLong = ("long-" + UUID.randomUUID() + "-").repeat(10).substring(0, 250);
        Map<String, String> ruleOf = new LinkedHashMap<>();
        ruleOf.put("", "must not be empty");
        ruleOf.put("bad topic!", "may contain only ASCII letters, digits, '.', '_' and '-'");
        ruleOf.put(tooLong, "at most 249 characters, this one has 250");
        ruleOf.put("..", "cannot be \".\" or \"..\"");

        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(OrderEvents.FACTORY);
        try (KafkaConnection kafka = factory.getConnection()) {
            for (Map.Entry<String, String> bad : ruleOf.entrySet()) {
                long start = System.nanoTime();
                Future<RecordMetadata> ack = kafka.send(new ProducerRecord<>(bad.getKey(), "order-1", "created"));
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> ack.get(AT_ONCE_MS, TimeUnit.MILLISECONDS), "topic '" + bad.getKey() + "'");
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // Nothing printed here: the test's stdout is the server log this test reads.
                InvalidTopicException invalid = assertInstanceOf(InvalidTopicException.class, failed.getCause());
                assertTrue(invalid.getMessage().contains(bad.getValue())
                        && invalid.getMessage().endsWith("; nothing was sent"), invalid.getMessage());
                assertTrue(elapsedMs < AT_ONCE_MS, "failed after " + elapsedMs + " ms, not at once");
            }

            String good = "orders-" + UUID.randomUUID();
            Topics.create(System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY), good, 1);
            RecordMetadata written = kafka.send(new ProducerRecord<>(good, "order-2", "created"))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(written.offset() >= 0, "the same connection still sends: " + written);
        }

        List<String> mentions = List.of("bad topic!", tooLong.substring(0, 40), "'..'",
                "INVALID_TOPIC", "InvalidTopic");
        long deadline = System.nanoTime() + QUIET_FOR.toNanos();
        while (true) {
            List<String> aboutBadNames = linesSince(log, logStart).stream()
                    .filter(line -> mentions.stream().anyMatch(line::contains)).toList();
            List<String> errors = aboutBadNames.stream().filter(line -> line.contains(" ERROR ")).toList();
            assertEquals(List.of(), errors, "ERROR lines about the bad names");
            assertEquals(List.of(), repeated(aboutBadNames), "log lines about the bad names that repeat");
            if (System.nanoTime() > deadline) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Lines whose text after the timestamp occurs more than once. */
    private static List<String> repeated(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> again = new ArrayList<>();
        for (String line : lines) {
            String text = line.replaceFirst("^\\S+ \\S+ ", "");
            if (counts.merge(text, 1, Integer::sum) == 2) {
                again.add(line);
            }
        }
        return again;
    }

    private static List<String> linesSince(Path log, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.min(offset, file.length());
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8).lines().toList();
        }
    }
}
