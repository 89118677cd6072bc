package io.kafkara.it.db;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.tx.NoOpXAResource;
import io.kafkara.it.tx.crash.BlockingResource;
import io.kafkara.it.tx.crash.FileGate;

/**
 * What the PostgreSQL XA tests deploy, as files for a {@link io.kafkara.it.run.LocalWildFly}: the JDBC driver jar
 * of the test classpath as a deployment of its own ({@value #DRIVER}, which is also the driver's name in WildFly),
 * an XA datasource on a {@link LocalPostgres} with recovery credentials (without them WildFly never asks
 * PostgreSQL which branches are prepared), and {@value #WAR} with the {@link PreparedInsertServlet}.
 */
public final class PostgresXaDeployment {

    public static final String DATASOURCE = "java:jboss/datasources/KafkaraPostgresXA";
    public static final String DRIVER = "postgresql.jar";
    public static final String DATASOURCE_FILE = "kafkara-postgres-xa-ds.xml";
    static final String WAR = "pg-crash.war";

    private PostgresXaDeployment() {
    }

    /** Writes the three deployments into {@code work} and returns them in the order to deploy. */
    public static List<Path> export(Path work, LocalPostgres db) throws IOException {
        Files.createDirectories(work);
        Path driver = Files.copy(driverJar(), work.resolve(DRIVER), StandardCopyOption.REPLACE_EXISTING);
        Path datasource = Files.writeString(work.resolve(DATASOURCE_FILE), datasourceXml(db));
        Path war = work.resolve(WAR);
        ShrinkWrap.create(WebArchive.class, WAR)
                .addClasses(PreparedInsertServlet.class, BlockingResource.class,
                        BlockingResource.Phase.class, FileGate.class, NoOpXAResource.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        return List.of(driver, datasource, war);
    }

    private static String datasourceXml(LocalPostgres db) {
        String credentials = "<user-name>" + db.user() + "</user-name><password>" + db.password() + "</password>";
        return String.join("\n",
                "<datasources xmlns=\"urn:jboss:domain:datasources:7.0\">",
                "  <xa-datasource jndi-name=\"" + DATASOURCE + "\" pool-name=\"KafkaraPostgresXA\">",
                "    <xa-datasource-property name=\"URL\">" + db.jdbcUrl() + "</xa-datasource-property>",
                "    <xa-datasource-class>org.postgresql.xa.PGXADataSource</xa-datasource-class>",
                "    <driver>" + DRIVER + "</driver>",
                "    <security>" + credentials + "</security>",
                "    <recovery><recover-credential>" + credentials + "</recover-credential></recovery>",
                "  </xa-datasource>",
                "</datasources>",
                "");
    }

    private static Path driverJar() throws IOException {
        try {
            return Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the jar of org.postgresql.Driver", e);
        }
    }
}
