package io.kafkara.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server API the adapter uses when the server makes it visible to the deployment, and the adapter's class that
 * uses it: that class is loaded, reflectively, only after a class of the API was found through the adapter's own
 * class loader, so no other class of the adapter names the API and none fails to load where it is absent.
 */
enum OptionalApi {
    MICROMETER("io.micrometer.core.instrument.MeterRegistry"),
    MICROPROFILE_HEALTH("org.eclipse.microprofile.health.HealthCheck"),
    OPENTELEMETRY("io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator");

    private static final Logger LOG = LoggerFactory.getLogger(OptionalApi.class);

    private final String probeClass;
    private volatile Boolean visible;

    OptionalApi(String probeClass) {
        this.probeClass = probeClass;
    }

    /** Whether the API is visible to the adapter's classes. */
    boolean visible() {
        Boolean known = visible;
        if (known == null) {
            known = load(probeClass) != null;
            visible = known;
            LOG.debug("{} is {}visible to the Kafka resource adapter", probeClass, known ? "" : "not ");
        }
        return known;
    }

    /** A new instance of the adapter's class {@code className}, which uses this API; null when it cannot load. */
    <T> T instance(String className, Class<T> type) {
        if (!visible()) {
            return null;
        }
        Class<?> implementation = load(className);
        try {
            return implementation == null ? null : type.cast(implementation.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("{} could not be instantiated: {}", className, e.toString());
            return null;
        }
    }

    /**
     * The result of the static method {@code method(argument)} of the adapter's class {@code className}, which uses
     * this API; null when the API is absent or the call cannot be made.
     */
    Object call(String className, String method, Class<?> parameterType, Object argument) {
        if (!visible()) {
            return null;
        }
        Class<?> implementation = load(className);
        try {
            return implementation == null ? null
                    : implementation.getDeclaredMethod(method, parameterType).invoke(null, argument);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("{}.{} could not be called: {}", className, method, e.toString());
            return null;
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, true, OptionalApi.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
