package io.kafkara.engine.kafka;

/**
 * Runs a call with a given context class loader and puts the caller's back, whatever happens. Kafka resolves
 * class-typed settings (and its config classes their defaults) through the context class loader, and the threads
 * that call the adapter (an application's, the transaction manager's recovery thread, a JMX thread) each have their
 * own, which need not see Kafka's classes.
 */
public final class ContextClassLoader {

    /** A call that may throw a checked exception of its own. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T run() throws E;
    }

    private ContextClassLoader() {
    }

    /** Runs {@code call} with {@code loader} as the thread's context class loader. */
    public static <T, E extends Exception> T with(ClassLoader loader, Call<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }
}
