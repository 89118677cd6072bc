package io.kafkara.it.admin;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The deployments of an operator's setup: {@code kafka-ra.rar} exactly as the build produced it, deployed on its
 * own, and an application that uses it through a module dependency on {@code deployment.kafka-ra.rar}.
 */
public final class StandaloneAdapter {

    private StandaloneAdapter() {
    }

    public static ResourceAdapterArchive asBuilt() {
        File built = new File(System.getProperty("kafka.ra.rar", "target/rar/kafka-ra.rar"));
        if (!built.isFile()) {
            throw new IllegalStateException("kafka-ra.rar was not built: " + built.getAbsolutePath());
        }
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, built);
    }

    /** A WAR holding {@code classes} that sees the adapter's API and the Kafka client classes packed in the RAR. */
    public static WebArchive application(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .addAsWebInfResource("admin/jboss-deployment-structure.xml", "jboss-deployment-structure.xml");
    }
}
