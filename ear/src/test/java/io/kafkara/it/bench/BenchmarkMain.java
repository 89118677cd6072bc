package io.kafkara.it.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.run.LocalWildFly;

/**
 * The README's benchmark command. One broker, one WildFly with the sample EAR plus a benchmark servlet; each
 * round runs every mode once (the order rotates from round to round), each mode against its own fresh topic, and
 * every mode is reported as a ratio to the plain {@code KafkaProducer} of the same round.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(System.getProperty("bench.target.dir", "target"));
        int rounds = Integer.getInteger("bench.rounds", 5);
        int records = Integer.getInteger("bench.records", 1_000_000);
        int size = Integer.getInteger("bench.record.size", 100);
        int portOffset = Integer.parseInt(System.getProperty("wildfly.port.offset"));
        Path report = Path.of(System.getProperty("bench.report"));

        try (KafkaCluster kafka = KafkaCluster.builder().brokers(1).workDir(target.resolve("bench/kafka")).start()) {
            LocalWildFly server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")),
                    target.resolve("bench/wildfly"), portOffset)
                    // The same heap as the benchmark's own JVM, so both sides of a ratio have the same budget.
                    .heap("-Xms1g -Xmx1g");
            try {
                server.deploy(benchEar(Path.of(System.getProperty("sample.ear")), target.resolve("bench")));
                server.start(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
                server.awaitDeployed("kafka-ra-bench.ear", Duration.ofMinutes(3));
                List<Mode> modes = List.of(Mode.values());
                // One unrecorded round lets every JVM involved compile the hot paths first.
                Workload warmUp = new Workload(kafka.bootstrapServers(), records / 2, size, 8080 + portOffset);
                for (Mode mode : modes) {
                    warmUp.run(mode, createTopic(kafka.bootstrapServers(), mode, -1));
                }
                Workload workload = new Workload(kafka.bootstrapServers(), records, size, 8080 + portOffset);
                Map<Mode, List<Double>> rates = new LinkedHashMap<>();
                modes.forEach(mode -> rates.put(mode, new ArrayList<>()));
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < modes.size(); i++) {
                        Mode mode = modes.get((i + round) % modes.size());
                        String topic = createTopic(kafka.bootstrapServers(), mode, round);
                        double rate = workload.run(mode, topic);
                        rates.get(mode).add(rate);
                        System.out.printf("round %d  %-22s %,12.0f records/s%n", round + 1, mode.label(), rate);
                    }
                }
                String markdown = new BenchmarkReport(records, size, rates).markdown();
                Files.createDirectories(report.getParent());
                Files.writeString(report, markdown);
                System.out.println(markdown);
                System.out.println("Written to " + report);
            } finally {
                server.stop();
            }
        }
    }

    private static Path benchEar(Path sampleEar, Path dir) throws Exception {
        WebArchive servlet = ShrinkWrap.create(WebArchive.class, "bench.war").addClasses(BenchServlet.class, Payload.class);
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, sampleEar.toFile())
                .addAsModule(servlet);
        Files.createDirectories(dir);
        File file = dir.resolve("kafka-ra-bench.ear").toFile();
        ear.as(ZipExporter.class).exportTo(file, true);
        return file.toPath();
    }

    private static String createTopic(String bootstrapServers, Mode mode, int round) {
        String topic = "bench-" + mode.name().toLowerCase() + "-" + (round < 0 ? "warm-up" : Integer.toString(round));
        Topics.create(bootstrapServers, topic, 3);
        return topic;
    }
}
