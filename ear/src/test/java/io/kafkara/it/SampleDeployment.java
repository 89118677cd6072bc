package io.kafkara.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

/**
 * The EAR exactly as the build produced it (target/kafka-ra-sample.ear), plus a library jar holding the test
 * classes so they can run inside the server.
 */
public final class SampleDeployment {

    /** Where the sample's WildFly activation (kafka-ra.rar/META-INF/ironjacamar.xml) binds its plain definition. */
    public static final String WILDFLY_FACTORY = "java:/kafka/Sample";
    /** Where the sample's WildFly activation binds its XA definition. */
    public static final String WILDFLY_XA_FACTORY = "java:/kafka/SampleXA";

    private SampleDeployment() {
    }

    /** The EAR as the build produced it. */
    public static EnterpriseArchive built() {
        File built = new File(System.getProperty("sample.ear", "target/kafka-ra-sample.ear"));
        if (!built.isFile()) {
            throw new IllegalStateException("The sample EAR was not built: " + built.getAbsolutePath());
        }
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, built);
    }

    public static EnterpriseArchive withTests(Class<?>... testClasses) {
        EnterpriseArchive ear = built();
        JavaArchive tests = ShrinkWrap.create(JavaArchive.class, "integration-tests.jar")
                .addClasses(testClasses)
                .addClass(Topics.class);
        return ear.addAsLibrary(tests);
    }

    /**
     * The built EAR whose kafka-ra.rar activation (ironjacamar.xml) has more connection definitions than the
     * sample's, for tests of pool and connection-definition settings. Everything else is as shipped.
     */
    public static EnterpriseArchive withExtraDefinitions(String connectionDefinitionsXml, Class<?>... testClasses) {
        EnterpriseArchive ear = withTests(testClasses);
        ResourceAdapterArchive rar = ear.getAsType(ResourceAdapterArchive.class, "/kafka-ra.rar");
        String activation = read(rar.get("/META-INF/ironjacamar.xml").getAsset());
        rar.delete("/META-INF/ironjacamar.xml");
        rar.addAsManifestResource(new StringAsset(activation.replace("</connection-definitions>",
                connectionDefinitionsXml + "</connection-definitions>")), "ironjacamar.xml");
        ear.delete("/kafka-ra.rar");
        return ear.addAsModule(rar);
    }

    private static String read(Asset asset) {
        try (InputStream in = asset.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
