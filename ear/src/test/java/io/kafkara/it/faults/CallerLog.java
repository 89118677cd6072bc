package io.kafkara.it.faults;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one caller saw, in its order, as text lines that cross from the server to the test:
 * {@code ACK key value}, {@code FAIL key value reason}, {@code TXN id outcome key value,value,... reason},
 * {@code ABORT reason} (the caller could not go on). Values and keys never contain spaces or commas.
 */
public final class CallerLog implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a transaction ended, as its caller knows it. */
    public enum Outcome { COMMITTED, ROLLED_BACK, UNKNOWN }

    /** Acknowledged sends and ended transactions of every caller in this server, for "traffic is flowing" checks. */
    static final AtomicLong PROGRESS = new AtomicLong();
    /** Set when the test has injected its faults: callers finish what they started and return. */
    static final AtomicBoolean STOP = new AtomicBoolean();

    private final int caller;
    private final List<String> lines = new ArrayList<>();

    CallerLog(int caller) {
        this.caller = caller;
    }

    void acknowledged(String key, String value) {
        lines.add("ACK " + key + " " + value);
        PROGRESS.incrementAndGet();
    }

    void failed(String key, String value, String reason) {
        lines.add("FAIL " + key + " " + value + " " + oneLine(reason));
    }

    void transaction(String id, String key, List<String> values, Outcome outcome, String reason) {
        lines.add("TXN " + id + " " + outcome + " " + key + " " + String.join(",", values) + " " + oneLine(reason));
        PROGRESS.incrementAndGet();
    }

    void aborted(String reason) {
        lines.add("ABORT " + oneLine(reason));
    }

    int caller() {
        return caller;
    }

    List<String> lines() {
        return lines;
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
