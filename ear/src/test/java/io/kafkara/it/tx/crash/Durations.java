package io.kafkara.it.tx.crash;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How long each step of a crash test took, in order, for the test's last line: slow machines show where. */
final class Durations {

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final Map<String, Long> millis = new LinkedHashMap<>();

    void timed(String what, Step step) throws Exception {
        long start = System.nanoTime();
        try {
            step.run();
        } finally {
            millis.put(what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    @Override
    public String toString() {
        return millis + " (ms)";
    }
}
