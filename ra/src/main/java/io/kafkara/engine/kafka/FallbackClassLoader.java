package io.kafkara.engine.kafka;

/**
 * Resolves plug-in classes (serializers, partitioner, interceptors, reporters) named in the configuration through the
 * calling application's class loader first, then through the adapter's. Kafka parses class-typed settings through the
 * thread context class loader, so the assembly installs this loader there while it builds an engine.
 */
final class FallbackClassLoader extends ClassLoader {

    private final ClassLoader fallback;

    FallbackClassLoader(ClassLoader application, ClassLoader fallback) {
        // The application loader is the parent, so it is asked first by the standard delegation.
        super("kafkara-plugins", application);
        this.fallback = fallback;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return fallback.loadClass(name);
    }

    /** The loader to install: the application's with the adapter's as fallback, or the adapter's alone. */
    static ClassLoader over(ClassLoader application, ClassLoader adapter) {
        if (application == null || application == adapter) {
            return adapter;
        }
        return new FallbackClassLoader(application, adapter);
    }
}
