package io.kafkara.it.lifecycle;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;

/**
 * The sample EAR as built (its own {@code kafka-ra.rar} activated by its {@code ironjacamar.xml}), undeployed and
 * redeployed {@value RedeployCycles#CYCLES} times while a client application (deployed once, publishing through the
 * EAR's connection factory) keeps sending: every acknowledged record is in Kafka, and after each undeploy the
 * server holds no engine thread and no engine MBean of it; at most {@value RetainedLoaderBound#MAX_RETAINED} of the
 * 5 undeployed adapters' class loaders stay reachable, each only through the server's own holders
 * (src/docs/lifecycle.md says which).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class SampleEarLifecycleIT extends RedeployUnderTraffic {

    @Test
    void redeployingTheEarUnderTrafficLosesNoAcknowledgedRecordAndLeavesNothingBehind() throws Exception {
        runCycles(builtEar(), SampleDeployment.WILDFLY_FACTORY);
    }
}
