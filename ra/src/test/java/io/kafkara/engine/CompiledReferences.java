package io.kafkara.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes each compiled class of ra/src/main refers to, read from its constant pool (class constants,
 * descriptors and signatures all hold internal names such as {@code org/apache/kafka/common/Node}), and the rules
 * on them: what may touch Kafka's non-public classes, what the door to them may depend on, and no package cycle.
 * The rules are pure functions over the references, so a test can show that each one catches what it is meant to.
 */
final class CompiledReferences {

    static final String DOOR = "io/kafkara/engine/kafka";
    /** Kafka's clock: injected everywhere (a fake one in tests), so it may be used where time is needed. */
    static final String KAFKA_CLOCK = "org/apache/kafka/common/utils/Time";

    private static final Pattern NAME = Pattern.compile("(?:org/apache/kafka|io/kafkara)/[A-Za-z0-9_/$]+");

    private CompiledReferences() {
    }

    /** Class (internal name) to the org.apache.kafka and io.kafkara classes it refers to, for every class under root. */
    static Map<String, Set<String>> read(Path root) throws IOException {
        Map<String, Set<String>> references = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
                Set<String> referred = new TreeSet<>();
                // Internal names are ASCII, stored as they are in CONSTANT_Utf8 entries.
                Matcher matcher = NAME.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                while (matcher.find()) {
                    referred.add(matcher.group());
                }
                referred.remove(name);
                references.put(name, referred);
            }
        }
        return references;
    }

    /** Kafka's published classes (the list's lines, {@code Outer.Inner} for nested ones). */
    static Set<String> publishedKafkaApi() {
        try (InputStream list = CompiledReferences.class.getResourceAsStream("/kafka-clients-public-api.txt")) {
            Set<String> published = new HashSet<>();
            new String(list.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(published::add);
            return published;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "class -> Kafka class" for each non-public Kafka class used outside the door. */
    static List<String> kafkaInternalsOutsideTheDoor(Map<String, Set<String>> references, Set<String> published) {
        List<String> violations = new ArrayList<>();
        references.forEach((type, referred) -> {
            if (packageOf(type).equals(DOOR)) {
                return;
            }
            for (String used : referred) {
                if (used.startsWith("org/apache/kafka/") && !used.equals(KAFKA_CLOCK) && !isPublished(used, published)) {
                    violations.add(type + " -> " + used);
                }
            }
        });
        return violations;
    }

    /** "class -> our class" for each class of ours outside the door that the door uses. */
    static List<String> doorDependsOnUs(Map<String, Set<String>> references) {
        List<String> violations = new ArrayList<>();
        references.forEach((type, referred) -> {
            if (!packageOf(type).equals(DOOR)) {
                return;
            }
            for (String used : referred) {
                if (used.startsWith("io/kafkara/") && !packageOf(used).equals(DOOR)) {
                    violations.add(type + " -> " + used);
                }
            }
        });
        return violations;
    }

    /** Each cycle among our packages, as "a -> b -> a"; none is the rule. */
    static List<String> packageCycles(Map<String, Set<String>> references) {
        Map<String, Set<String>> graph = new TreeMap<>();
        references.forEach((type, referred) -> {
            String from = packageOf(type);
            Set<String> to = graph.computeIfAbsent(from, key -> new TreeSet<>());
            referred.stream().filter(used -> used.startsWith("io/kafkara/")).map(CompiledReferences::packageOf)
                    .filter(pkg -> !pkg.equals(from)).forEach(to::add);
        });
        List<String> cycles = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = pathBack(graph, start);
            if (path != null) {
                Set<String> members = new TreeSet<>(path);
                if (reported.add(members.toString())) {
                    cycles.add(String.join(" -> ", path).replace('/', '.'));
                }
            }
        }
        return cycles;
    }

    /** A shortest path from start back to start, or null. */
    private static List<String> pathBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : graph.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String step = at; !step.equals(start); step = cameFrom.get(step)) {
                        path.add(1, step);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static boolean isPublished(String kafkaClass, Set<String> published) {
        String[] parts = kafkaClass.split("\\$");
        StringBuilder name = new StringBuilder(parts[0]);
        if (published.contains(name.toString())) {
            return true;
        }
        for (int i = 1; i < parts.length; i++) {
            name.append('.').append(parts[i]);
            if (published.contains(name.toString())) {
                return true;
            }
        }
        return false;
    }

    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
