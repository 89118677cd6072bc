package io.kafkara.it.tx.fault;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Server side: where a transaction waits, everything sent and flushed, until the test has frozen the broker and
 * lets it commit. One hold per order key, so the requests of different scenarios never release each other. The wait
 * is bounded: a test that failed before releasing leaves no request thread stuck.
 */
final class CommitHold {

    private static final Duration HOLD = Duration.ofMinutes(2);
    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();
    private static final Map<String, Long> RELEASED_AT = new ConcurrentHashMap<>();

    private CommitHold() {
    }

    /** Marks the order's transaction ready to commit and waits for {@link #release}. */
    static void reachAndHold(String order) throws InterruptedException {
        CountDownLatch release = RELEASES.computeIfAbsent(order, key -> new CountDownLatch(1));
        try {
            if (!release.await(HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The commit of " + order + " was held " + HOLD + " and never released");
            }
        } finally {
            RELEASES.remove(order);
        }
    }

    static boolean isReached(String order) {
        return RELEASES.containsKey(order);
    }

    /** Returns whether a transaction of that order was waiting. */
    static boolean release(String order) {
        CountDownLatch release = RELEASES.get(order);
        if (release == null) {
            return false;
        }
        RELEASED_AT.put(order, System.nanoTime());
        release.countDown();
        return true;
    }

    /** When {@link #release} let the order's transaction go on ({@link System#nanoTime()}); forgets it. */
    static long releasedAt(String order) {
        Long at = RELEASED_AT.remove(order);
        if (at == null) {
            throw new IllegalStateException("The transaction of " + order + " was never released");
        }
        return at;
    }
}
