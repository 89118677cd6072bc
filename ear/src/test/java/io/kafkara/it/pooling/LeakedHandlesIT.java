package io.kafkara.it.pooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.security.SecretLeaks;
import io.kafkara.it.tx.CommittedReader;

/**
 * An application that never closes its connections, against definitions whose pool holds {@value #MAX_POOL_SIZE}
 * connections and waits at most one second for a free one: {@value #REQUESTS} requests, each leaking one handle,
 * must all be served (the pool takes back the connections of handles not in use) and every record must be in the
 * topic; the server log must name each lost handle once, with the stack where it was obtained when the definition
 * sets {@code leakStackTraces=true}. The warnings come when the JVM has collected the lost handles, so the test asks
 * for a collection and a getConnection() until they show, for at most 30 s.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class LeakedHandlesIT {

    private static final int MAX_POOL_SIZE = 5;
    private static final int REQUESTS = 50;
    private static final Duration WARNINGS_WITHIN = Duration.ofSeconds(30);
    private static final Pattern LEAK_WARNING = Pattern.compile(
            "KAFKARA-RA-020: The connection definition with clientIdPrefix=(\\S+): its Kafka connection handle #(\\d+) ");

    @ArquillianResource
    private ManagementClient management;

    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static EnterpriseArchive leaking() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(definition("Leaky", "kafka-leaky", "")
                + definition("LeakyTraced", "kafka-leaky-traced",
                        "<config-property name=\"leakStackTraces\">true</config-property>")
                + definition("LeakyLocal", "kafka-leaky-local", """
                        <config-property name="transactionSupportLevel">LocalTransaction</config-property>
                        <config-property name="transactionalIdPrefix">kafka-leaky-local</config-property>"""));
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "leaking.war").addClass(LeakingServlet.class));
    }

    private static String definition(String name, String clientIdPrefix, String configProperties) {
        return DefinitionXml.of(name, clientIdPrefix, "", configProperties, MAX_POOL_SIZE, 1000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyRequestIsServedAndEachLostHandleIsNamedOnce() throws Exception {
        String first = leakAndAwaitWarnings("Leaky", "kafka-leaky", false);

        assertTrue(first.contains(" WARN "), first);
        assertTrue(first.contains("leakStackTraces=true"), "says how to see where it was obtained: " + first);
        assertFalse(first.contains("LeakingServlet"), "no stack without the setting: " + first);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withLeakStackTracesTheWarningShowsWhereTheHandleWasObtained() throws Exception {
        String first = leakAndAwaitWarnings("LeakyTraced", "kafka-leaky-traced", false);

        assertTrue(first.contains("was obtained here, on thread default task-"), first);
        assertTrue(first.contains("io.kafkara.it.pooling.LeakingServlet.leak("),
                "the stack of getConnection() in the servlet: " + first);
    }

    /**
     * WildFly takes back the connection of a handle still open when its transaction completes (IJ000315, it destroys
     * the connection); the handle is lost all the same.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void handlesLostInTransactionsAreNamedAndDoNotStrandTheTransactionalPool() throws Exception {
        String first = leakAndAwaitWarnings("LeakyLocal", "kafka-leaky-local", true);

        assertTrue(first.contains("leakStackTraces=true"), first);
    }

    /**
     * Leaks a handle in each of {@value #REQUESTS} requests, checks that every request was served, every record is in
     * the topic and no handle is named twice; returns the first warning with the lines that follow it.
     */
    private String leakAndAwaitWarnings(String definition, String clientIdPrefix, boolean inTransaction)
            throws Exception {
        long logStart = Files.size(SecretLeaks.serverLog(management));
        String topic = leakInEveryRequest(definition, inTransaction);

        List<String> warnings = awaitLeakWarnings(definition, clientIdPrefix, logStart);

        List<String> values = CommittedReader.readUntil(SharedKafka.get().bootstrapServers(), topic,
                read -> read.size() >= REQUESTS).stream().map(ConsumerRecord::value).toList();
        assertEquals(IntStream.range(0, REQUESTS).mapToObj(Integer::toString).collect(Collectors.toSet()),
                new TreeSet<>(values), "every request's record is in " + topic);
        assertOncePerHandle(warnings);
        return warnings.get(0);
    }

    /** {@value #REQUESTS} requests that each send one record and forget their connection; returns the topic. */
    private String leakInEveryRequest(String definition, boolean inTransaction) throws Exception {
        String topic = "leaked-" + definition + "-" + UUID.randomUUID();
        Topics.create(SharedKafka.get().bootstrapServers(), topic, 1);
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> answer = get("leak?definition=" + definition + "&topic=" + topic + "&value=" + i
                    + "&tx=" + inTransaction);
            assertEquals(200, answer.statusCode(), "request " + i + " of " + REQUESTS + " with max-pool-size "
                    + MAX_POOL_SIZE + " was served: " + answer.body());
        }
        return topic;
    }

    /**
     * The server log's leak warnings for the definition since {@code logStart}, each with the lines that follow it
     * up to the next log line; asks for a collection and a getConnection() until one shows, for at most 30 s.
     */
    private List<String> awaitLeakWarnings(String definition, String clientIdPrefix, long logStart) throws Exception {
        long deadline = System.nanoTime() + WARNINGS_WITHIN.toNanos();
        while (true) {
            assertEquals(200, get("collect?definition=" + definition).statusCode());
            List<String> warnings = leakWarnings(clientIdPrefix, logStart);
            if (!warnings.isEmpty()) {
                return warnings;
            }
            assertTrue(System.nanoTime() < deadline, "no KAFKARA-RA-020 warning for clientIdPrefix=" + clientIdPrefix
                    + " within " + WARNINGS_WITHIN + " of asking the JVM to collect the " + REQUESTS + " lost handles");
        }
    }

    private List<String> leakWarnings(String clientIdPrefix, long logStart) throws Exception {
        byte[] all = Files.readAllBytes(SecretLeaks.serverLog(management));
        String text = new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.lines().toList()) {
            Matcher leak = LEAK_WARNING.matcher(line);
            boolean newEntry = line.matches("^\\d{4}-\\d\\d-\\d\\d .*");
            if (newEntry && current != null) {
                warnings.add(current.toString());
                current = null;
            }
            if (leak.find() && leak.group(1).equals(clientIdPrefix)) {
                current = new StringBuilder(line);
            } else if (current != null) {
                current.append('\n').append(line);
            }
        }
        if (current != null) {
            warnings.add(current.toString());
        }
        return warnings;
    }

    /** At most one warning per handle, and never more than the requests lost. */
    private static void assertOncePerHandle(List<String> warnings) {
        Set<String> handles = new TreeSet<>();
        for (String warning : warnings) {
            Matcher leak = LEAK_WARNING.matcher(warning);
            assertTrue(leak.find(), warning);
            assertTrue(handles.add(leak.group(2)), "handle #" + leak.group(2) + " was reported twice");
        }
        assertTrue(handles.size() <= REQUESTS, "more warnings than lost handles: " + handles);
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = management.getWebUri().resolve("/leaking/" + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
