package io.kafkara.it.campaign;

import java.time.Duration;

/**
 * One round's kill: at the {@code hit}-th call of a protocol point (a Byteman rule halts the JVM), or, with no
 * point, a SIGKILL from outside {@code delay} after the callers started.
 */
record Fault(CrashPoint point, int hit, Duration delay) {

    static Fault at(CrashPoint point, int hit) {
        return new Fault(point, hit, null);
    }

    static Fault randomAfter(Duration delay) {
        return new Fault(null, 0, delay);
    }

    boolean isRandom() {
        return point == null;
    }

    /** The name the report counts kills under. */
    String label() {
        return isRandom() ? "random" : point.label();
    }

    @Override
    public String toString() {
        return isRandom() ? "SIGKILL after " + delay.toMillis() + " ms" : point.label() + " (" + point.where()
                + "), hit " + hit;
    }
}
