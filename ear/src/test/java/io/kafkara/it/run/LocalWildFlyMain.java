package io.kafkara.it.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a {@link LocalWildFly} and keeps it until this JVM ends, for the test that kills this JVM to see the
 * server's watchdog at work. Prints {@code pid N} of the server JVM, then {@code ready}.
 *
 * <pre>{@code
 * java -cp <test classpath> io.kafkara.it.run.LocalWildFlyMain ear/target/wildfly-39.0.1.Final ear/target/orphan 1300
 * }</pre>
 */
public final class LocalWildFlyMain {

    private LocalWildFlyMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LocalWildFlyMain <WildFly home> <base directory> <lowest port offset>");
            System.exit(2);
        }
        LocalWildFly server = LocalWildFly.prepare(Path.of(args[0]), Path.of(args[1]),
                LocalWildFly.freePortOffset(Integer.parseInt(args[2])));
        server.start(Map.of());
        server.awaitBooted(Duration.ofMinutes(2));
        System.out.println("pid " + server.serverJvmPid());
        System.out.println("ready");
        System.out.flush();
        // Until this JVM is stopped or killed; either way the server follows it.
        Thread.currentThread().join();
    }
}
