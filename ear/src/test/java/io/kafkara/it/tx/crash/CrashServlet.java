package io.kafkara.it.tx.crash;

import java.io.IOException;
import java.nio.file.Path;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.tx.crash.BlockingResource.Phase;

/**
 * Runs one crash scenario's JTA transaction and stops it at the scenario's {@link FileGate}, where it stays until the
 * test kills the server: {@code /crash?scenario=S&topic=T&gates=DIR}. Each Kafka connection sends three records
 * {@code S/1..3} (acknowledged, so they are in the log before the crash) to the topic, or to {@code T-1} and
 * {@code T-2} for the scenario with two Kafka branches. The Kafka branch of the scenarios with one goes through
 * {@code java:/kafka/<definition>} ({@code CrashXA} unless the parameter says otherwise); the second definition,
 * {@code java:/kafka/CrashXB}, is looked up only by the scenarios that use it, so a deployment may lack it.
 */
@WebServlet("/crash")
public class CrashServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String scenario = request.getParameter("scenario");
        String topic = request.getParameter("topic");
        FileGate gate = new FileGate(Path.of(request.getParameter("gates")), scenario);
        String definition = request.getParameter("definition");
        try {
            KafkaConnectionFactory kafka = factory(definition == null ? "CrashXA" : definition);
            transaction.begin();
            switch (scenario) {
                case CrashScenarios.UNDECIDED -> {
                    // Prepared: the adapter's branch, then the blocking resource's, which never answers.
                    sendThree(kafka, topic, scenario);
                    enlist(new BlockingResource(Phase.PREPARE, gate));
                }
                case CrashScenarios.DECIDED -> {
                    // Both prepared, the decision logged; the first commit, the blocking resource's, never returns.
                    enlist(new BlockingResource(Phase.COMMIT, gate));
                    sendThree(kafka, topic, scenario);
                }
                case CrashScenarios.COMMITTING -> {
                    // Commit order: the first Kafka branch, the blocking resource, the second Kafka branch.
                    sendThree(kafka, topic + "-1", scenario);
                    enlist(new BlockingResource(Phase.COMMIT, gate));
                    sendThree(factory("CrashXB"), topic + "-2", scenario);
                }
                case CrashScenarios.RACING -> {
                    // Decided; released from the first commit when the test kills, so the adapter's commit races it.
                    enlist(new BlockingResource(Phase.COMMIT, gate));
                    sendThree(factory("CrashXB"), topic, scenario);
                }
                case CrashScenarios.SENDING -> {
                    // The Kafka transaction is open on the broker; nothing is prepared.
                    sendThree(kafka, topic, scenario);
                    gate.reachAndHold();
                }
                default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
            }
            transaction.commit();
        } catch (Exception e) {
            throw new IOException("Scenario " + scenario + " failed before the crash: " + e, e);
        }
        response.getWriter().println("Scenario " + scenario + " committed without crashing");
    }

    private static KafkaConnectionFactory factory(String definition) throws NamingException {
        return InitialContext.doLookup("java:/kafka/" + definition);
    }

    private void enlist(BlockingResource resource) throws Exception {
        manager.getTransaction().enlistResource(resource);
    }

    private static void sendThree(KafkaConnectionFactory factory, String topic, String scenario) throws Exception {
        try (KafkaConnection connection = factory.getConnection()) {
            for (int line = 1; line <= 3; line++) {
                connection.send(new ProducerRecord<>(topic, scenario, scenario + "/" + line)).get();
            }
        }
    }
}
