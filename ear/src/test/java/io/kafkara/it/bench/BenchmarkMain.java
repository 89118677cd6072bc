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

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.pooling.DefinitionXml;
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
                server.deploy(benchEar(target.resolve("bench")));
                server.start(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
                server.awaitDeployed("kafka-ra-bench.ear", Duration.ofMinutes(3));
                // The XA definition's branch journal, created as an operator would before the first XA transaction.
                BranchJournalSetup.createJournal(kafka.bootstrapServers());
                String bootstrap = kafka.bootstrapServers();
                int httpPort = 8080 + portOffset;
                // First, while nothing else runs in the server: what one transactional definition costs it.
                CapacityRun.Result capacity = null;
                if (settings.capacity()) {
                    Topics.create(bootstrap, "bench-capacity", 3);
                    capacity = new CapacityRun(kafka, httpPort).measure("bench-capacity");
                    System.out.println("capacity: " + capacity);
                }
                List<Mode> modes = settings.modes();
                // One unrecorded round lets every JVM involved compile the hot paths and fill the pools first.
                BenchmarkRun warmUp = new BenchmarkRun(bootstrap, settings.warmUp(), httpPort);
                for (Mode mode : modes) {
                    warmUp.run(mode, createTopic(bootstrap, mode.name(), -1));
                }
                BenchmarkRun run = new BenchmarkRun(bootstrap, settings, httpPort);
                Map<Mode, List<Double>> rates = new LinkedHashMap<>();
                modes.forEach(mode -> rates.put(mode, new ArrayList<>()));
                Map<LatencyWorkload.Producer, List<LatencyWorkload.Percentiles>> latencies = new LinkedHashMap<>();
                for (LatencyWorkload.Producer producer : LatencyWorkload.Producer.values()) {
                    latencies.put(producer, new ArrayList<>());
                }
                List<Double> loads = new ArrayList<>();
                for (int round = 0; round < settings.rounds(); round++) {
                    loads.add(loadAverage());
                    for (Mode mode : order(round, modes)) {
                        double rate = run.run(mode, createTopic(bootstrap, mode.name(), round));
                        rates.get(mode).add(rate);
                        System.out.printf("round %d  %-50s %,12.0f %s%n", round + 1, mode.label(), rate,
                                mode.suite().unit());
                    }
                }
                // Then the latency runs, at a fixed rate: half the plain producer's median throughput of the rounds.
                LatencyWorkload latency = null;
                if (settings.latency()) {
                    double rate = BenchmarkReport.median(rates.get(Mode.KAFKA_PRODUCER)) / 2;
                    latency = new LatencyWorkload(BaselineProducerConfig.of(bootstrap),
                            (int) (rate * settings.latencyRun().toSeconds()), settings.size(), rate, httpPort);
                    LatencyWorkload.Producer[] producers = LatencyWorkload.Producer.values();
                    for (LatencyWorkload.Producer producer : producers) {
                        latency.run(producer, createTopic(bootstrap, "latency-" + producer.name(), -1));
                    }
                    for (int round = 0; round < settings.rounds(); round++) {
                        for (int i = 0; i < producers.length; i++) {
                            LatencyWorkload.Producer producer = producers[(i + round) % producers.length];
                            LatencyWorkload.Percentiles measured = latency.run(producer,
                                    createTopic(bootstrap, "latency-" + producer.name(), round));
                            latencies.get(producer).add(measured);
                            System.out.printf("latency round %d  %-42s p50 %,d us  p99 %,d us%n", round + 1,
                                    producer.label(), measured.p50(), measured.p99());
                        }
                    }
                }
                loads.add(loadAverage());
                BenchmarkReport result = new BenchmarkReport(settings, serverName(jbossHome), rates, loads,
                        latency == null ? Map.of() : latencies, latency, capacity);
                Files.createDirectories(report.getParent());
                Files.writeString(report, result.markdown());
                Path chart = report.resolveSibling("benchmarks.svg");
                Files.writeString(chart, new BenchmarkChart(result).svg());
                System.out.println(result.markdown());
                System.out.println("Written to " + report + " and " + chart);
            } finally {
                server.stop();
            }
        }
    }

    /**
     * The modes of a round: the suites in turn, starting with a different one each round, and within a suite its
     * modes rotated by the round, so that no mode always runs first, or right after the other suite.
     */
    private static List<Mode> order(int round, List<Mode> selected) {
        List<Mode> order = new ArrayList<>();
        Mode.Suite[] suites = Mode.Suite.values();
        for (int s = 0; s < suites.length; s++) {
            List<Mode> modes = Mode.of(suites[(s + round) % suites.length]).stream().filter(selected::contains)
                    .toList();
            for (int i = 0; i < modes.size(); i++) {
                order.add(modes.get((i + round) % modes.size()));
            }
        }
        return order;
    }

    /** The machine's 1-minute load average: the report says how busy it was. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** "WildFly 39.0.1.Final" from the unpacked distribution's directory name (wildfly-39.0.1.Final). */
    private static String serverName(Path jbossHome) {
        return jbossHome.getFileName().toString().replace("wildfly-", "WildFly ");
    }

    /**
     * The definition {@link CapacityServlet} measures: LocalTransaction, room for 32 concurrent transactions and
     * more, and a short max.block.ms so that filling its record memory ends soon.
     */
    private static final String CAPACITY_DEFINITION = DefinitionXml.of("BenchCapacity", "bench-capacity", "", """
            <config-property name="transactionSupportLevel">LocalTransaction</config-property>
            <config-property name="transactionalIdPrefix">bench-capacity</config-property>
            <config-property name="transactionalIdPoolSize">40</config-property>
            <config-property name="maxBlockMs">10000</config-property>""", 40, 30_000);

    private static Path benchEar(Path dir) throws Exception {
        WebArchive servlet = ShrinkWrap.create(WebArchive.class, "bench.war")
                .addClasses(BenchServlet.class, BaselineProducerConfig.class, Payload.class,
                        TransactionBenchServlet.class, TransactionalSender.class,
                        Mode.class, Mode.Suite.class, CallerRun.class, NoOpXAResource.class, PacedSends.class,
                        PacedSends.Sender.class, CapacityServlet.class);
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(CAPACITY_DEFINITION).addAsModule(servlet);
        Files.createDirectories(dir);
        File file = dir.resolve("kafka-ra-bench.ear").toFile();
        ear.as(ZipExporter.class).exportTo(file, true);
        return file.toPath();
    }

    private static String createTopic(String bootstrapServers, String name, int round) {
        String topic = "bench-" + name.toLowerCase() + "-" + (round < 0 ? "warm-up" : Integer.toString(round));
        Topics.create(bootstrapServers, topic, 3);
        return topic;
    }
}
