package io.kafkara.it.lifecycle;

import java.io.File;
import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.sample.OrderEvents;

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
class SampleEarLifecycleIT {

    @Deployment(testable = false)
    static WebArchive probe() {
        return LifecycleProbe.war();
    }

    @ArquillianResource
    private ManagementClient management;

    @ArquillianResource
    private URL probe;

    private RedeployCycles cycles;

    @Test
    void redeployingTheEarUnderTrafficLosesNoAcknowledgedRecordAndLeavesNothingBehind() throws Exception {
        cycles = new RedeployCycles(management, probe,
                new File(System.getProperty("sample.ear", "target/kafka-ra-sample.ear")), OrderEvents.FACTORY);
        cycles.run();
    }

    @AfterEach
    void undeployLeftovers() {
        if (cycles != null) {
            cycles.undeployIfDeployed();
        }
    }
}
