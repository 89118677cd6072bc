package io.kafkara.it.broker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the launcher starts a JVM that cannot outlive it: {@code java} of the running JDK, the broker
 * classpath, and {@link ParentWatchdogMain} in front of the real main class.
 */
public final class ChildJvm {

    /** Names the file with the resolved test classpath; the ear module's build writes it. */
    public static final String CLASSPATH_FILE_PROPERTY = "kafka.test.classpath.file";

    private final String classpath;
    private final List<String> jvmOptions;

    public ChildJvm(String classpath, List<String> jvmOptions) {
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The classpath of the build's file when it is named (under failsafe {@code java.class.path} is
     * only a manifest jar), else this JVM's own; plus the directory or jar of this class, which holds
     * {@link ParentWatchdogMain}.
     */
    public static String defaultClasspath() {
        String file = System.getProperty(CLASSPATH_FILE_PROPERTY);
        String base;
        try {
            base = file == null ? System.getProperty("java.class.path") : Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the broker classpath from " + file + " (system property "
                    + CLASSPATH_FILE_PROPERTY + "); run 'mvn process-test-resources' in the ear module to write it", e);
        }
        String own = ownLocation();
        boolean present = Arrays.asList(base.split(File.pathSeparator)).contains(own);
        return present ? base : base + File.pathSeparator + own;
    }

    /** A builder whose stdin stays a pipe, as {@link ParentWatchdogMain} requires; callers set the output. */
    public ProcessBuilder command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(ParentWatchdogMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    private static String ownLocation() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the classes of " + ChildJvm.class.getName(), e);
        }
    }
}
