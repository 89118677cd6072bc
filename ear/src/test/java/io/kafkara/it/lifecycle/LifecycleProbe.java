package io.kafkara.it.lifecycle;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The always-deployed client application of the lifecycle tests: publishes through the adapter, inspects the server. */
final class LifecycleProbe {

    private LifecycleProbe() {
    }

    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "lifecycle-probe.war")
                .addClasses(PublishServlet.class, InspectServlet.class, TrackedAdapterLoaders.class);
    }
}
