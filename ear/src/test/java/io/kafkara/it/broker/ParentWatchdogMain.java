package io.kafkara.it.broker;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every JVM the launcher starts: it runs another main class, and halts this JVM as
 * soon as the parent that started it is gone.
 *
 * <p>The parent keeps the write end of our stdin pipe open and never writes to it. The operating
 * system closes that end when the parent exits for any reason, including {@code kill -9}, which
 * runs no shutdown hook; the read below then sees end-of-file. This is what guarantees that no
 * broker outlives the test JVM.
 *
 * <pre>{@code
 * java -cp <broker classpath> io.kafkara.it.broker.ParentWatchdogMain kafka.Kafka server.properties
 * }</pre>
 */
public final class ParentWatchdogMain {

    private ParentWatchdogMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdogMain <main class> [arguments of that class...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(ParentWatchdogMain::haltWhenParentGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltWhenParentGone() {
        byte[] buffer = new byte[256];
        try {
            while (System.in.read(buffer) >= 0) {
                // The parent never writes; anything that arrives is ignored. Only end-of-file counts.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        System.err.println("ParentWatchdogMain: stdin closed, so the parent process is gone; halting");
        // halt, not exit: shutdown hooks could block (a broker's controlled shutdown waits for peers).
        Runtime.getRuntime().halt(1);
    }
}
