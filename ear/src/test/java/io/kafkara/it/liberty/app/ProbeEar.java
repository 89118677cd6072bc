package io.kafkara.it.liberty.app;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.FileAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.kafkara.it.tx.timeout.OrderRow;
import io.kafkara.it.tx.timeout.PacedSends;
import io.kafkara.it.tx.timeout.TimeoutRun;
import io.kafkara.it.tx.timeout.UserTransactionScenarios;

/**
 * The application the portability tests deploy on servers other than WildFly: {@code kafka-ra.rar} as a connector
 * module and {@code probe.war} (context root {@code /kafkara}) with the {@link ProbeServlet} and its beans. It names
 * no resource of any server: the beans look up the names the test passes.
 */
public final class ProbeEar {

    private ProbeEar() {
    }

    /** Writes the EAR, whose application name is {@code name}, to {@code file}. */
    public static void export(String name, File file) {
        WebArchive probe = ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeServlet.class, SendingBean.class, InjectedSender.class, TimeoutSends.class,
                        TimeoutRun.class, PacedSends.class, PacedSends.Send.class, OrderRow.class,
                        UserTransactionScenarios.class);
        ShrinkWrap.create(EnterpriseArchive.class, name + ".ear")
                .add(new FileAsset(new File(System.getProperty("kafka.ra.rar"))), "kafka-ra.rar")
                .addAsModule(probe)
                .setApplicationXML(new StringAsset("""
                        <application xmlns="https://jakarta.ee/xml/ns/jakartaee" version="10">
                          <application-name>%s</application-name>
                          <module><connector>kafka-ra.rar</connector></module>
                          <module><web><web-uri>probe.war</web-uri><context-root>/kafkara</context-root></web></module>
                        </application>
                        """.formatted(name)))
                .as(ZipExporter.class).exportTo(file, true);
    }
}
