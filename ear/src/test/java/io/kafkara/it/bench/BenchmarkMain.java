package io.kafkara.it.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
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
import io.kafkara.it.tx.BranchJournalSetup;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * The README's benchmark command. One broker, one WildFly with the sample EAR plus the benchmark servlets; each
 * round runs every mode once (in an order that changes from round to round), each mode against its own fresh topic, and
 * every mode is reported as a ratio to the baseline of its suite in the same round: the plain
 * {@code KafkaProducer} for records, plain Kafka transactions for transactions.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(System.getProperty("bench.target.dir", "target"));
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
        int portOffset = LocalWildFly.freePortOffset(Integer.parseInt(System.getProperty("wildfly.port.offset")));
        Path jbossHome = Path.of(System.getProperty("jboss.home"));
        Path report = Path.of(System.getProperty("bench.report"));

        try (KafkaCluster kafka = KafkaCluster.builder().brokers(1).workDir(target.resolve("bench/kafka")).start()) {
            LocalWildFly server = LocalWildFly.prepare(jbossHome, target.resolve("bench/wildfly"), portOffset)
                    // The same heap as the benchmark's own JVM, so both sides of a ratio have the same budget.
                    .heap("-Xms1g -Xmx1g");
            try {
                server.deploy(benchEar(Path.of(System.getProperty("sample.ear")), target.resolve("bench")));
                server.start(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
                server.awaitDeployed("kafka-ra-bench.ear", Duration.ofMinutes(3));
                // The XA definition's branch journal, created as an operator would before the first XA transaction.
                BranchJournalSetup.createJournal(kafka.bootstrapServers());
                String bootstrap = kafka.bootstrapServers();
                int httpPort = 8080 + portOffset;
                List<Mode> modes = List.of(Mode.values());
                // One unrecorded round lets every JVM involved compile the hot paths and fill the pools first.
                BenchmarkRun warmUp = new BenchmarkRun(bootstrap, settings.warmUp(), httpPort);
                for (Mode mode : modes) {
                    warmUp.run(mode, createTopic(bootstrap, mode, -1));
                }
                BenchmarkRun run = new BenchmarkRun(bootstrap, settings, httpPort);
                Map<Mode, List<Double>> rates = new LinkedHashMap<>();
                modes.forEach(mode -> rates.put(mode, new ArrayList<>()));
                List<Double> loads = new ArrayList<>();
                for (int round = 0; round < settings.rounds(); round++) {
                    loads.add(loadAverage());
                    for (Mode mode : order(round)) {
                        double rate = run.run(mode, createTopic(bootstrap, mode, round));
                        rates.get(mode).add(rate);
                        System.out.printf("round %d  %-45s %,12.0f %s%n", round + 1, mode.label(), rate,
                                mode.suite().unit());
                    }
                }
                loads.add(loadAverage());
                String markdown = new BenchmarkReport(settings, serverName(jbossHome), rates, loads)
                        .markdown();
                Files.createDirectories(report.getParent());
                Files.writeString(report, markdown);
                System.out.println(markdown);
                System.out.println("Written to " + report);
            } finally {
                server.stop();
            }
        }
    }

    /**
     * The modes of a round: the suites in turn, starting with a different one each round, and within a suite its
     * modes rotated by the round, so that no mode always runs first, or right after the other suite.
     */
    private static List<Mode> order(int round) {
        List<Mode> order = new ArrayList<>();
        Mode.Suite[] suites = Mode.Suite.values();
        for (int s = 0; s < suites.length; s++) {
            List<Mode> modes = Mode.of(suites[(s + round) % suites.length]);
            for (int i = 0; i < modes.size(); i++) {
                order.add(modes.get((i + round) % modes.size()));
            }
        }
        return order;
    }

    /** The machine's 1-minute load average: other builds share it, and the report says how busy it was. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** "WildFly 39.0.1.Final" from the unpacked distribution's directory name (wildfly-39.0.1.Final). */
    private static String serverName(Path jbossHome) {
        return jbossHome.getFileName().toString().replace("wildfly-", "WildFly ");
    }

    private static Path benchEar(Path sampleEar, Path dir) throws Exception {
        WebArchive servlet = ShrinkWrap.create(WebArchive.class, "bench.war")
                .addClasses(BenchServlet.class, Payload.class, TransactionBenchServlet.class, TransactionalSender.class,
                        Mode.class, Mode.Suite.class, CallerRun.class, NoOpXAResource.class);
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
