package io.kafkara.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the adapter can tell about a class-valued setting (serializers, partitioner, callback handlers) when a
 * definition is activated. The name must be a Java class name: that is an error at once. Whether the class exists
 * is only a hint then: a class the adapter cannot see may be provided by the application that uses the definition
 * (it is loaded with the application's class loader when its first connection builds the engine).
 */
final class ClassNameRule {

    private static final Pattern BINARY_NAME = Pattern.compile(
            "[\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private ClassNameRule() {
    }

    /** Why the value cannot name a class, or empty when it can. */
    static Optional<String> problem(String value) {
        String name = value.trim();
        if (BINARY_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("is not a Java class name; give the fully qualified name, for example "
                + "org.apache.kafka.common.serialization.StringSerializer");
    }

    /** True when the adapter's own class loader, or the activating thread's, can load the class. */
    static boolean visibleToTheAdapter(String value) {
        String name = value.trim();
        return loads(name, ClassNameRule.class.getClassLoader())
                || loads(name, Thread.currentThread().getContextClassLoader());
    }

    private static boolean loads(String name, ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
