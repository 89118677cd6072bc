package io.kafkara.it.campaign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.db.PostgresXaDeployment;

/**
 * What the campaign's server deploys: the PostgreSQL driver and XA datasource ({@link PostgresXaDeployment}), and
 * the sample EAR as built, whose activation binds the XA definition {@code java:/kafka/SampleXA} (prefix
 * {@value #TRANSACTIONAL_ID_PREFIX}, recovery credentials, node name from {@code jboss.node.name}), with a
 * {@code campaign.war} (context {@code /campaign}) holding the {@link OrderServlet}.
 */
final class CampaignDeployment {

    static final String EAR = "kafka-ra-sample.ear";
    /** The sample XA definition's transactionalIdPrefix: every id the campaign's transactions use starts with it. */
    static final String TRANSACTIONAL_ID_PREFIX = "sample-xa-";

    private CampaignDeployment() {
    }

    /** Writes the deployments into {@code work}; returns them in deployment order, the datasource's second. */
    static List<Path> export(Path work, LocalPostgres db) throws Exception {
        List<Path> postgres = PostgresXaDeployment.export(work, db);
        EnterpriseArchive ear = SampleDeployment.withTests()
                .addAsModule(ShrinkWrap.create(WebArchive.class, "campaign.war").addClass(OrderServlet.class));
        Files.createDirectories(work);
        Path file = work.resolve(EAR);
        ear.as(ZipExporter.class).exportTo(file.toFile(), true);
        // The driver and the datasource; the third, PostgresXaRecoveryIT's war, is not the campaign's.
        return List.of(postgres.get(0), postgres.get(1), file);
    }
}
