package io.kafkara.engine;

import java.io.IOException;
import java.io.InputStream;

/**
 * A deployment's class loader as a server gives one: it defines its own copy of every class of the package
 * {@code io.kafkara.engine.app} (so two loaders have two classes of the same name) and delegates the rest (Kafka,
 * the adapter) to the test's loader.
 */
final class ApplicationLoader extends ClassLoader {

    static final String APPLICATION_PACKAGE = "io.kafkara.engine.app.";

    ApplicationLoader(String name) {
        super(name, ApplicationLoader.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(APPLICATION_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                String file = name.replace('.', '/') + ".class";
                try (InputStream in = getParent().getResourceAsStream(file)) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return loaded;
        }
    }
}
