package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * House rules on ra/src/main, enforced: only io.kafkara.engine.kafka touches kafka-clients classes outside Kafka's
 * published API, checked on the compiled classes (so an upgrade breaks in one package), that package depends on
 * nothing of ours, no package cycle, and no code starts threads, sleeps, reads the wall clock or uses KafkaProducer
 * (the container owns threads, an injected Time owns time).
 */
class InternalsBoundaryTest {

    private static final Path MAIN = Paths.get("src/main/java");
    private static final Path CLASSES = Paths.get("target/classes");
    private static Map<String, Set<String>> compiled;

    private static final Pattern FORBIDDEN_CODE = Pattern.compile(
            "new\\s+Thread\\s*\\(|\\bExecutors\\s*\\.|Thread\\s*\\.\\s*sleep\\s*\\(|System\\s*\\.\\s*currentTimeMillis\\s*\\(|"
                    + "\\bKafkaProducer\\b");

    @Test
    void onlyTheEngineKafkaPackageUsesKafkaClassesOutsideItsPublicApi() throws IOException {
        assertEquals(List.of(), CompiledReferences.kafkaInternalsOutsideTheDoor(compiled(),
                CompiledReferences.publishedKafkaApi()),
                "kafka-clients classes outside its published Javadoc, used outside io.kafkara.engine.kafka");
    }

    @Test
    void theEngineKafkaPackageDependsOnNothingOfOurs() throws IOException {
        assertEquals(List.of(), CompiledReferences.doorDependsOnUs(compiled()),
                "io.kafkara.engine.kafka uses classes of our other packages");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        assertEquals(List.of(), CompiledReferences.packageCycles(compiled()), "package cycles in ra/src/main");
    }

    /** The three rules above, each shown failing on references made up for it. */
    @Test
    void theDependencyRulesCatchWhatTheyAreMeantToCatch() {
        Set<String> published = CompiledReferences.publishedKafkaApi();
        Map<String, Set<String>> references = Map.of(
                "io/kafkara/spi/Handle", Set.of("org/apache/kafka/common/protocol/Errors",
                        "org/apache/kafka/clients/producer/ProducerRecord", CompiledReferences.KAFKA_CLOCK,
                        "org/apache/kafka/clients/producer/Producer$Future", "io/kafkara/tx/Branch"),
                "io/kafkara/engine/kafka/Door", Set.of("org/apache/kafka/clients/producer/internals/Sender",
                        "io/kafkara/engine/kafka/Other", "io/kafkara/engine/ProducerEngine"),
                "io/kafkara/tx/Branch", Set.of("io/kafkara/spi/Handle"));

        assertEquals(List.of("io/kafkara/spi/Handle -> org/apache/kafka/common/protocol/Errors"),
                CompiledReferences.kafkaInternalsOutsideTheDoor(references, published));
        assertEquals(List.of("io/kafkara/engine/kafka/Door -> io/kafkara/engine/ProducerEngine"),
                CompiledReferences.doorDependsOnUs(references));
        assertEquals(List.of("io.kafkara.spi -> io.kafkara.tx -> io.kafkara.spi"),
                CompiledReferences.packageCycles(references));
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
    }

    /** The compiled classes' references, read once for the three rules. */
    private static synchronized Map<String, Set<String>> compiled() throws IOException {
        if (compiled == null) {
            assertTrue(Files.isDirectory(CLASSES), "run from the ra module after compiling: "
                    + CLASSES.toAbsolutePath());
            compiled = CompiledReferences.read(CLASSES);
        }
        return compiled;
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
