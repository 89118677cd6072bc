package io.kafkara.it.tx.crash;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * The sample EAR as built, with the crash tests' XA definitions in its adapter's activation and a {@code crash.war}
 * (context {@code /crash}) holding the {@link CrashServlet} and its gates, written to a work directory for a
 * {@link io.kafkara.it.run.LocalWildFly} to deploy.
 */
public final class CrashDeployment {

    static final String EAR = "kafka-ra-sample.ear";

    private CrashDeployment() {
    }

    /** {@code servlets}: more classes of the crash.war, next to the crash scenarios'. */
    static Path export(Path work, String definitionsXml, Class<?>... servlets) throws Exception {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(definitionsXml);
        ear.addAsModule(crashWar().addClasses(servlets));
        Files.createDirectories(work);
        Path file = work.resolve(EAR);
        ear.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** {@code crash.war} (context {@code /crash}): the {@link CrashServlet} and what its scenarios stop at. */
    public static WebArchive crashWar() {
        return ShrinkWrap.create(WebArchive.class, "crash.war")
                .addClasses(CrashServlet.class, CrashScenarios.class, BlockingResource.class,
                        BlockingResource.Phase.class, FileGate.class, NoOpXAResource.class);
    }

    /** The work directory of a crash test under the build directory, beside the brokers' {@code kafka/}. */
    public static Path workDirectory(String name) {
        return Path.of(System.getProperty("kafka.test.work.dir", "target/kafka")).getParent().resolve(name);
    }
}
