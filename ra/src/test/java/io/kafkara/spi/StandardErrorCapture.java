package io.kafkara.spi;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What an action logs: slf4j-simple, the tests' logger, writes to System.err (levels: simplelogger.properties). */
final class StandardErrorCapture {

    interface Action {
        void run() throws Exception;
    }

    private StandardErrorCapture() {
    }

    static String during(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
