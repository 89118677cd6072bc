package io.kafkara.it.portable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.Topics;
import io.kafkara.it.tx.CommittedReader;

/**
 * The sample EAR as the build made it, on a server other than WildFly, configured by the per-server resource
 * definitions beside it ({@code ear/src/main/liberty/kafka-sample.xml}, {@code ear/src/main/payara/kafka-sample.sh}):
 * the EAR with a WAR added that calls the sample's own beans ({@link SampleProbeServlet}), and the checks every
 * server's test makes the same way.
 */
public final class SampleOnServer {

    private final Probe.Http server;
    private final String bootstrapServers;
    private final String demoTopic = "sample-demo-" + UUID.randomUUID();

    public SampleOnServer(Probe.Http server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Where the sample's DemoTraffic publishes; the server's JVM gets it as {@code sample.demo.topic}. */
    public String demoTopic() {
        return demoTopic;
    }

    /** The per-server definitions beside the sample EAR, in the source tree. */
    public static Path definitions(String file) {
        return Path.of(System.getProperty("sample.definitions", "src/main")).resolve(file).toAbsolutePath();
    }

    /** The built sample EAR plus the probe WAR {@code sample-probe.war}, written to {@code file}. */
    public static void export(File file) {
        EnterpriseArchive ear = SampleDeployment.built();
        // A bean archive, for the servlet's @Inject: Payara makes a WAR without beans.xml one only when it has a bean
        // class.
        ear.addAsModule(ShrinkWrap.create(WebArchive.class, "sample-probe.war").addClass(SampleProbeServlet.class)
                .addAsWebInfResource(new StringAsset("<beans bean-discovery-mode=\"annotated\"/>"), "beans.xml"));
        ear.as(ZipExporter.class).exportTo(file, true);
    }

    /** Creates the demo topic, before the server starts publishing to it. */
    public void createDemoTopic() {
        Topics.create(bootstrapServers, demoTopic, 1);
    }

    /** The sample's DemoTraffic publishes through {@code kafka/Sample}: its order events are read back. */
    public void theDemoTrafficReachesTheBroker() {
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, demoTopic,
                "read_committed", Duration.ofMinutes(2), records -> records.size() >= 3);
        assertTrue(read.stream().allMatch(record -> record.key().startsWith("order-")
                && record.value().startsWith("{\"order\":")), "the sample's demo order events: " + read);
    }

    /**
     * The sample's OrderService through {@code via}: a placed order has its row and its events, read_committed; a
     * rejected one (a blank line, after a line was sent) has neither.
     */
    public void ordersCommitAndRollBackWithTheDatabase(String via) throws Exception {
        String topic = "sample-orders-" + via.toLowerCase() + "-" + UUID.randomUUID();
        Topics.create(bootstrapServers, topic, 1);
        String placed = "placed-" + UUID.randomUUID();
        String rejected = "rejected-" + UUID.randomUUID();

        assertEquals("placed", get("/sample-probe/order?via=" + via + "&topic=" + topic + "&order=" + placed
                + "&lines=one,two"));
        assertEquals("rejected Order " + rejected + " has a blank line", get("/sample-probe/order?via=" + via
                + "&topic=" + topic + "&order=" + rejected + "&lines=one,"));
        String marker = "marker-" + UUID.randomUUID();
        assertEquals("placed", get("/sample-probe/order?via=" + via + "&topic=" + topic + "&order=" + marker
                + "&lines=last"));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.stream().anyMatch(record -> marker.equals(record.key())));
        List<String> keys = read.stream().map(ConsumerRecord::key).toList();
        assertAll("read_committed " + keys,
                () -> assertEquals(List.of(placed, placed, marker), keys, "the placed orders' events, in order"),
                () -> assertEquals("true", get("/sample-probe/exists?order=" + placed)),
                () -> assertEquals("false", get("/sample-probe/exists?order=" + rejected),
                        "the rejected order's row was rolled back"));
        assertFalse(keys.contains(rejected));
    }

    /** The sample's ShipmentEvents, a CDI bean with the factory injected by {@code @KafkaFactory}: read back. */
    public void aShipmentIsSentTheCdiWay() throws Exception {
        String topic = "sample-shipments-" + UUID.randomUUID();
        Topics.create(bootstrapServers, topic, 1);
        String id = "shipment-" + UUID.randomUUID();

        assertEquals("partition 0", get("/sample-probe/shipment?topic=" + topic + "&id=" + id));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> !records.isEmpty());
        assertEquals(List.of(id), read.stream().map(ConsumerRecord::key).toList());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = server.get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body().strip();
    }
}
