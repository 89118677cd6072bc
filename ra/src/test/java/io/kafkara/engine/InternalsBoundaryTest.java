package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * House rules on ra/src/main, enforced: only io.kafkara.engine.kafka touches kafka-clients internals (so an upgrade
 * breaks in one package), and no code starts threads, sleeps, reads the wall clock or uses KafkaProducer (the
 * container owns threads, an injected Time owns time).
 */
class InternalsBoundaryTest {

    private static final Path MAIN = Paths.get("src/main/java");
    private static final Path INTERNALS_DOOR = MAIN.resolve("io/kafkara/engine/kafka");

    private static final List<String> INTERNAL_PREFIXES = List.of(
            "org.apache.kafka.clients.producer.internals",
            "org.apache.kafka.clients.NetworkClient",
            "org.apache.kafka.clients.Metadata",
            "org.apache.kafka.clients.ApiVersions",
            "org.apache.kafka.common.network.",
            "org.apache.kafka.common.requests.",
            "org.apache.kafka.common.utils.LogContext");

    private static final Pattern FORBIDDEN_CODE = Pattern.compile(
            "new\\s+Thread\\s*\\(|\\bExecutors\\s*\\.|Thread\\s*\\.\\s*sleep\\s*\\(|System\\s*\\.\\s*currentTimeMillis\\s*\\(|"
                    + "\\bKafkaProducer\\b");

    @Test
    void onlyTheEngineKafkaPackageImportsClientInternals() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            if (file.startsWith(INTERNALS_DOOR)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (trimmed.startsWith("import ")
                        && INTERNAL_PREFIXES.stream().anyMatch(prefix -> trimmed.contains(" " + prefix)
                        || trimmed.contains("static " + prefix))) {
                    violations.add(MAIN.relativize(file) + ": " + trimmed);
                }
            }
        }
        assertEquals(List.of(), violations, "kafka-clients internals outside io.kafkara.engine.kafka");
    }

    @Test
    void noCodeStartsThreadsSleepsReadsTheWallClockOrUsesKafkaProducer() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String code = withoutComment(lines.get(i));
                if (FORBIDDEN_CODE.matcher(code).find()) {
                    violations.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), violations, "forbidden in ra/src/main (use the WorkManager and the injected Time)");
    }

    @Test
    void theRulesCatchWhatTheyAreMeantToCatch() {
        assertTrue(FORBIDDEN_CODE.matcher("Thread.sleep(10);").find());
        assertTrue(FORBIDDEN_CODE.matcher("var t = new Thread(r);").find());
        assertTrue(FORBIDDEN_CODE.matcher("long now = System.currentTimeMillis();").find());
        assertTrue(FORBIDDEN_CODE.matcher("Executors.newFixedThreadPool(2)").find());
        assertTrue(FORBIDDEN_CODE.matcher("new KafkaProducer<>(props)").find());
        assertTrue(INTERNAL_PREFIXES.stream().anyMatch("org.apache.kafka.common.network.Selector"::startsWith));
    }

    private static List<Path> sources() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the ra module: " + MAIN.toAbsolutePath());
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    /** Drops line comments and Javadoc/comment lines, so that prose mentioning KafkaProducer is allowed. */
    private static String withoutComment(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
            return "";
        }
        int comment = line.indexOf("//");
        return comment >= 0 ? line.substring(0, comment) : line;
    }
}
