package io.kafkara.it.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.standalone.ServerDeploymentHelper;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.admin.StandaloneAdapter;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.tx.CommittedReader;
import shop.MarkerSerializer;
import shop.Order;
import shop.SendServlet;

/**
 * Two applications on one standalone {@code kafka-ra.rar} definition configured by CLI, each with its own
 * serializer class of the same name ({@code shop.MarkerSerializer}, whose records carry its deployment's marker):
 * "shop" is redeployed {@value #REDEPLOYS} times while "billing" keeps sending. Billing never fails; every record
 * carries the marker of the application and generation that sent it (so each generation's own classes served it);
 * the serializer gets its own setting from pluginProperties; and afterwards the undeployed generations' class
 * loaders are held by nothing but the server's known holders ({@link RetainedLoaderBound}), none by the adapter.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, PluginsActivation.class})
class ManyApplicationsIT {

    private static final int REDEPLOYS = 5;
    private static final int RECORDS_PER_CALL = 20;
    private static final String SHOP = "shop.war";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    @OperateOnDeployment("billing")
    private ManagementClient management;

    @ArquillianResource
    @OperateOnDeployment("billing")
    private URL billing;

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    /** The application that stays: its own marker serializer, and the lifecycle probe's inspection. */
    @Deployment(name = "billing", order = 2, testable = false)
    static WebArchive billing() {
        return application("billing", "billing")
                .addClasses(InspectServlet.class, TrackedAdapterLoaders.class);
    }

    private static WebArchive application(String name, String marker) {
        return StandaloneAdapter.application(name, MarkerSerializer.class, SendServlet.class, Order.class)
                .addAsResource(new StringAsset(marker), "marker.txt");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void eachApplicationsRecordsGoThroughItsOwnSerializerAndARedeployedOneLeavesNothingBehind() throws Exception {
        String topic = "plugins-" + UUID.randomUUID().toString().substring(0, 8);
        Topics.create(SharedKafka.get().bootstrapServers(), topic, 3);
        URL shop = new URL(billing, "/shop/");
        BillingTraffic traffic = new BillingTraffic(topic);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(traffic);
        try {
            for (int generation = 1; generation <= REDEPLOYS + 1; generation++) {
                int billingBefore = traffic.acknowledged.get();
                deploy(application("shop", "shop-" + generation));
                try {
                    String answer = send(shop, PluginsActivation.MARKERS, topic, topic);
                    assertEquals("ok " + RECORDS_PER_CALL, answer, "generation " + generation + " of shop");
                    // While this generation is deployed: the probe adopts its loader, to judge it after undeploy.
                    ServerInspection.readAdopting(billing, topic, SendServlet.LOADER_KEY);
                    traffic.awaitMoreThan(billingBefore);
                } finally {
                    undeploy();
                }
            }
        } finally {
            traffic.stop.set(true);
            sending.get(2, TimeUnit.MINUTES);
        }
        assertEquals(List.of(), traffic.failures, "billing kept sending while shop was redeployed");

        Map<String, Integer> expected = new TreeMap<>();
        for (int generation = 1; generation <= REDEPLOYS + 1; generation++) {
            expected.put("shop-" + generation, RECORDS_PER_CALL);
        }
        expected.put("billing", traffic.acknowledged.get());
        Map<String, Integer> byMarker = readMarkers(topic, expected.values().stream().mapToInt(n -> n).sum());
        assertEquals(expected, byMarker, "each record carries the marker of the application and generation that "
                + "sent it (its own serializer class), with the prefix from pluginProperties");

        new RetainedLoaderBound(billing, topic, new File("target")).assertHeld(REDEPLOYS + 1);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theAdaptersJsonbSerializerSendsAPojoAPlainConsumerReadsAsJson() throws Exception {
        String topic = "plugins-json-" + UUID.randomUUID().toString().substring(0, 8);
        Topics.create(SharedKafka.get().bootstrapServers(), topic, 1);

        HttpResponse<String> sent = post(new URL(billing, "order?jndi=" + PluginsActivation.JSON + "&topic=" + topic
                + "&id=order-42"));
        assertEquals(200, sent.statusCode(), sent.body());

        List<String> values = readValues(topic, 1);
        assertEquals(List.of("{\"id\":\"order-42\",\"items\":[\"tea\",\"café\"],\"quantity\":3}"), values);
    }

    /** Billing's callers: one call after another, each 20 records, until told to stop. */
    private final class BillingTraffic implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger acknowledged = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final String topic;

        BillingTraffic(String topic) {
            this.topic = topic;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    // Its own run: only shop's loaders are the ones to judge.
                    String answer = send(billing, PluginsActivation.MARKERS, topic, "billing-" + topic);
                    if (answer.equals("ok " + RECORDS_PER_CALL)) {
                        acknowledged.addAndGet(RECORDS_PER_CALL);
                    } else {
                        failures.add(answer);
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }

        /** Until billing got answers after {@code count} acknowledgements, within a bound. */
        void awaitMoreThan(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.get() <= count) {
                assertTrue(System.nanoTime() < deadline, "billing sent nothing for 60 s: " + failures);
                assertTrue(failures.isEmpty(), "billing failed: " + failures);
                Thread.onSpinWait();
            }
        }
    }

    private String send(URL application, String jndi, String topic, String run) throws Exception {
        HttpResponse<String> answer = post(new URL(application, "send?jndi=" + jndi + "&topic=" + topic + "&n="
                + RECORDS_PER_CALL + "&run=" + run));
        return answer.statusCode() == 200 ? answer.body() : answer.statusCode() + " " + answer.body();
    }

    private HttpResponse<String> post(URL url) throws Exception {
        return http.send(HttpRequest.newBuilder(url.toURI()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void deploy(WebArchive war) throws Exception {
        new ServerDeploymentHelper(management.getControllerClient()).deploy(SHOP,
                war.as(ZipExporter.class).exportAsInputStream());
    }

    private void undeploy() throws Exception {
        new ServerDeploymentHelper(management.getControllerClient()).undeploy(SHOP);
    }

    /** Counts records by the marker of the serializer that wrote them; each payload must be its own marker's. */
    private static Map<String, Integer> readMarkers(String topic, int records) {
        Map<String, Integer> byMarker = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String value : readValues(topic, records)) {
            String[] parts = value.split(":", 3);
            if (parts.length != 3 || !parts[0].equals(PluginsActivation.PREFIX) || !parts[2].startsWith(parts[1] + "-")) {
                wrong.add(value);
                continue;
            }
            byMarker.merge(parts[1], 1, Integer::sum);
        }
        assertEquals(List.of(), wrong, "records written by another application's serializer, or without the prefix");
        return byMarker;
    }

    /** The topic's values from the start, once {@code expected} of them arrived (at most 30 s). */
    private static List<String> readValues(String topic, int expected) {
        return CommittedReader.readUntil(SharedKafka.get().bootstrapServers(), topic, read -> read.size() >= expected)
                .stream().map(ConsumerRecord::value).toList();
    }
}
