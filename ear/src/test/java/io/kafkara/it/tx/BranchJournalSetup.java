package io.kafkara.it.tx;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

import io.kafkara.it.broker.SharedKafka;

/**
 * Creates the XA definition's branch journal topic as an operator would before the first XA transaction:
 * compacted, one partition. Runs after {@code KafkaBrokerSetup} started the broker; the topic may already exist.
 */
public class BranchJournalSetup implements ServerSetupTask {

    public static final String TOPIC = "kafka-ra-branches";

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        createJournal(SharedKafka.get().bootstrapServers());
    }

    /** Creates the journal topic unless it exists. */
    public static void createJournal(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(Set.of(new NewTopic(TOPIC, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) {
        // The journal outlives the test class, as in production; later classes find it.
    }
}
