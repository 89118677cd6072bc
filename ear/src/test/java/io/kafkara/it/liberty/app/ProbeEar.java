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
 * module and {@code probe.war} (context root {@code /kafkara}) with the {@link ProbeServlet} and its beans, or the WAR
 * alone beside a standalone adapter. It names no resource of any server: the beans look up the names the test
 * passes.
 */
public final class ProbeEar {

    private ProbeEar() {
    }

    /** Writes the EAR, whose application name is {@code name}, to {@code file}. */
    public static void export(String name, File file) {
        ShrinkWrap.create(EnterpriseArchive.class, name + ".ear")
                .add(new FileAsset(new File(System.getProperty("kafka.ra.rar"))), "kafka-ra.rar")
                .addAsModule(probeWar())
                .setApplicationXML(new StringAsset("""
                        <application xmlns="https://jakarta.ee/xml/ns/jakartaee" version="10">
                          <application-name>%s</application-name>
                          <module><connector>kafka-ra.rar</connector></module>
                          <module><web><web-uri>probe.war</web-uri><context-root>/kafkara</context-root></web></module>
                        </application>
                        """.formatted(name)))
                .as(ZipExporter.class).exportTo(file, true);
    }

    /**
     * Writes {@code probe.war} alone, for a server where {@code kafka-ra.rar} is deployed standalone. Its CDI sender
     * is excluded from discovery: a standalone adapter's producer bean is not the application's, so the sender's
     * injection point would fail the deployment ({@code /inject} fails instead).
     */
    public static void exportWar(File file) {
        probeWar().addAsWebInfResource(new StringAsset("""
                        <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated">
                          <scan><exclude name="%s"/></scan>
                        </beans>
                        """.formatted(InjectedSender.class.getName())), "beans.xml")
                .as(ZipExporter.class).exportTo(file, true);
    }

    private static WebArchive probeWar() {
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeServlet.class, SendingBean.class, InjectedSender.class, TimeoutSends.class,
                        TimeoutRun.class, PacedSends.class, PacedSends.Send.class, OrderRow.class,
                        UserTransactionScenarios.class);
    }
}
