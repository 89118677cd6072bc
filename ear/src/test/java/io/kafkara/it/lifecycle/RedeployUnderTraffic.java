package io.kafkara.it.lifecycle;

import java.io.File;
import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;

/**
 * What both lifecycle tests share: the client application (the probe WAR, deployed once by Arquillian) and the
 * {@link RedeployCycles} of an archive, undeployed again if a failed cycle left it deployed.
 */
abstract class RedeployUnderTraffic {

    @ArquillianResource
    private ManagementClient management;

    @ArquillianResource
    private URL probe;

    private RedeployCycles cycles;

    @Deployment(testable = false)
    static WebArchive probe() {
        return LifecycleProbe.war();
    }

    /** The sample EAR as the build produced it; the standalone RAR lies next to it. */
    static File builtEar() {
        return new File(System.getProperty("sample.ear", "target/kafka-ra-sample.ear"));
    }

    /** Redeploys the archive under the probe's traffic through the connection factory at that JNDI name. */
    void runCycles(File archive, String factoryJndiName) throws Exception {
        cycles = new RedeployCycles(management, probe, archive, factoryJndiName);
        cycles.run();
    }

    @AfterEach
    void undeployLeftovers() {
        if (cycles != null) {
            cycles.undeployIfDeployed();
        }
    }
}
