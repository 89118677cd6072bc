package io.kafkara.tx;

import java.util.function.Supplier;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.CompactedTopicProvisioner;
import io.kafkara.engine.kafka.CompactedTopicProvisioner.Result;

/**
 * Makes sure an XA definition's branch journal topic exists and is compacted, before the journal is first read or
 * written: creates it when missing; warns when it exists with another cleanup policy (retention would then delete
 * branches still in doubt); fails, saying what to create by hand, when the cluster refuses to create it.
 */
public final class BranchJournalTopic implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(BranchJournalTopic.class);

    private final String topic;
    private final Supplier<CompactedTopicProvisioner> provisioners;

    /** @param provisioners a fresh, short-lived provisioner per check */
    BranchJournalTopic(String topic, Supplier<CompactedTopicProvisioner> provisioners) {
        this.topic = topic;
        this.provisioners = provisioners;
    }

    @Override
    public void run() {
        Result result;
        try (CompactedTopicProvisioner provisioner = provisioners.get()) {
            result = provisioner.ensure(topic);
        }
        switch (result.outcome()) {
            case CREATED -> LOG.info("KAFKARA-TX-013: created the branch journal topic {} (1 partition, "
                    + "cleanup.policy=compact, {})", topic, result.detail());
            case COMPACTED -> LOG.debug("Branch journal topic {} exists and is compacted", topic);
            case NOT_COMPACTED -> LOG.warn("KAFKARA-TX-014: the branch journal topic {} has cleanup.policy={}, not "
                    + "compact: retention may delete the record of a branch that is still in doubt, and recovery would "
                    + "then not know it. Make it compacted: kafka-configs.sh --alter --entity-type topics "
                    + "--entity-name {} --add-config cleanup.policy=compact", topic, result.detail(), topic);
            case UNVERIFIED -> LOG.warn("KAFKARA-TX-014: could not check that the branch journal topic {} is "
                    + "compacted ({}); make sure it has cleanup.policy=compact", topic, result.detail());
            case REFUSED -> throw new KafkaException("The branch journal topic " + topic + " is missing and could not "
                    + "be created, or may not be described (" + result.detail() + "). Create it by hand before the "
                    + "first XA transaction, compacted, with the replication of the transaction state log, e.g. "
                    + "kafka-topics.sh --create --topic " + topic + " --partitions 1 --replication-factor 3 --config "
                    + "cleanup.policy=compact, or allow this connection definition's principal to describe and "
                    + "create it (ACL operations DESCRIBE and CREATE)");
        }
    }
}
