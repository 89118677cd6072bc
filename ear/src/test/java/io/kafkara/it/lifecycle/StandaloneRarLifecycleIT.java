package io.kafkara.it.lifecycle;

import java.io.File;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;

/**
 * A standalone {@code kafka-ra.rar}, activated by a resource-adapters subsystem entry, undeployed and redeployed
 * {@value RedeployCycles#CYCLES} times while a client application (deployed once) keeps publishing through it:
 * every acknowledged record is in Kafka, after each undeploy the server holds no engine thread, no engine MBean of
 * it, and at most {@value RetainedLoaderBound#MAX_RETAINED} of the 5 undeployed adapters' class loaders stay
 * reachable, each only through the server's own holders (src/docs/lifecycle.md says which).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, StandaloneRarActivation.class})
class StandaloneRarLifecycleIT extends RedeployUnderTraffic {

    @Test
    void redeployingTheAdapterUnderTrafficLosesNoAcknowledgedRecordAndLeavesNothingBehind() throws Exception {
        runCycles(new File(builtEar().getParentFile(), "rar/" + StandaloneRarActivation.ARCHIVE),
                StandaloneRarActivation.JNDI_NAME);
    }
}
