package io.kafkara.it.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** Which failures count as a test out of its time, so the server's threads are dumped for them and no others. */
class ThreadDumpOnTimeoutTest {

    @Test
    void aPreemptiveTimeoutCounts() {
        CountDownLatch never = new CountDownLatch(1);
        AssertionError timedOut = assertThrows(AssertionError.class,
                () -> assertTimeoutPreemptively(Duration.ofMillis(20), () -> never.await()));
        assertTrue(ThreadDumpOnTimeout.timedOut(timedOut), timedOut.getMessage());
    }

    @Test
    void anAnnotatedTimeoutCountsAlsoAsTheCauseOfAnotherFailure() {
        // What JUnit's @Timeout throws: "method() timed out after 6 minutes".
        TimeoutException timeout = new TimeoutException("scenario() timed out after 6 minutes");
        assertTrue(ThreadDumpOnTimeout.timedOut(timeout));
        assertTrue(ThreadDumpOnTimeout.timedOut(new IllegalStateException("wrapped", timeout)));
    }

    @Test
    void anOrdinaryFailureDoesNot() {
        assertFalse(ThreadDumpOnTimeout.timedOut(new AssertionError("expected: <1> but was: <2>")));
        assertFalse(ThreadDumpOnTimeout.timedOut(new IllegalStateException((String) null)));
    }
}
