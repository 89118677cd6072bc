package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A handle's flush waits for each of its sends, failed ones included, and keeps no completed send. */
class HandleSendsTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void flushBlocksUntilTheHandlesLastOpenSendCompletes() throws Exception {
        HandleSends sends = new HandleSends();
        CompletableFuture<String> acknowledged = new CompletableFuture<>();
        CompletableFuture<String> failed = new CompletableFuture<>();
        sends.sent(acknowledged);
        sends.sent(failed);
        Thread flushing = new Thread(sends::awaitCompletion, "flushing");
        flushing.start();

        acknowledged.complete("written");
        while (flushing.getState() != Thread.State.WAITING) {
            assertTrue(flushing.isAlive(), "flush returned while a send was still open");
            Thread.onSpinWait();
        }
        assertTrue(flushing.isAlive());
        failed.completeExceptionally(new IllegalStateException("the broker refused it"));
        flushing.join();
        assertEquals(0, sends.size());
    }

    @Test
    void completedSendsAreDroppedAsNewOnesCome() {
        HandleSends sends = new HandleSends();
        CompletableFuture<String> first = new CompletableFuture<>();
        sends.sent(first);
        sends.sent(CompletableFuture.completedFuture("done at once"));
        assertEquals(1, sends.size(), "a completed send is not kept");
        first.complete("done");
        sends.sent(new CompletableFuture<>());
        assertEquals(1, sends.size(), "the completed first send went");
        assertFalse(first.isCompletedExceptionally());
    }
}
