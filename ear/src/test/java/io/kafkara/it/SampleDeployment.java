package io.kafkara.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * The EAR exactly as the build produced it (target/kafka-ra-sample.ear), plus a library jar holding the test
 * classes so they can run inside the server.
 */
public final class SampleDeployment {

    private SampleDeployment() {
    }

    public static EnterpriseArchive withTests(Class<?>... testClasses) {
        File built = new File(System.getProperty("sample.ear", "target/kafka-ra-sample.ear"));
        if (!built.isFile()) {
            throw new IllegalStateException("The sample EAR was not built: " + built.getAbsolutePath());
        }
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, built);
        JavaArchive tests = ShrinkWrap.create(JavaArchive.class, "integration-tests.jar").addClasses(testClasses);
        return ear.addAsLibrary(tests);
    }
}
