package io.kafkara.it.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test runs out of its time ({@code @Timeout}, or {@code assertTimeoutPreemptively}), writes the threads of
 * every WildFly JVM this test JVM started (Arquillian's server, a crash test's {@link LocalWildFly}) to
 * {@code target/thread-dumps/} and names the files in the failure: a hang fails in minutes and says where the
 * server stood. Registered for every test by the JUnit Platform's extension auto-detection
 * (META-INF/services, junit-platform.properties).
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

    private static final String WILDFLY_MAIN = "jboss-modules.jar";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (timedOut(failure)) {
            String test = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName()
                    .replaceAll("[^A-Za-z0-9]+", "-");
            List<ProcessHandle> servers = ProcessHandle.current().descendants().filter(ThreadDumpOnTimeout::isWildFly)
                    .toList();
            if (servers.isEmpty()) {
                failure.addSuppressed(new ThreadDumps("no WildFly JVM of this test JVM ran at the timeout"));
            }
            for (ProcessHandle server : servers) {
                failure.addSuppressed(new ThreadDumps("the threads of WildFly JVM " + server.pid()
                        + " at the timeout: " + dump(server, test)));
            }
        }
        throw failure;
    }

    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || String.valueOf(cause.getMessage()).contains("timed out after")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWildFly(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of()).stream()
                .anyMatch(argument -> argument.endsWith(WILDFLY_MAIN));
    }

    private static String dump(ProcessHandle server, String test) {
        try {
            Path directory = Path.of("target", "thread-dumps");
            Files.createDirectories(directory);
            Path file = directory.resolve(test + "-" + server.pid() + ".txt").toAbsolutePath();
            return LocalWildFly.printThreads(server.pid(), file) ? file.toString()
                    : file + " (jcmd did not finish within 60 s)";
        } catch (IOException e) {
            return "none (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "none (interrupted)";
        }
    }

    /** Carries the dump's file name in the failure's report; no stack of its own. */
    private static final class ThreadDumps extends Exception {
        private static final long serialVersionUID = 1L;

        ThreadDumps(String message) {
            super(message, null, false, false);
        }
    }
}
