package io.kafkara.spi;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.common.errors.InterruptException;

/**
 * The sends of one connection handle that may not have completed yet, for its {@code flush()}: it waits for these,
 * not for every record of the shared engine (other applications' records, perhaps stuck on a partition without a
 * leader until their delivery timeout). Completed sends are dropped as new ones come.
 */
final class HandleSends {

    private final Queue<Future<?>> pending = new ConcurrentLinkedQueue<>();

    void sent(Future<?> send) {
        Iterator<Future<?>> oldest = pending.iterator();
        while (oldest.hasNext() && oldest.next().isDone()) {
            oldest.remove();
        }
        if (!send.isDone()) {
            pending.add(send);
        }
    }

    /** Until every send so far completed, acknowledged or failed (its caller sees how, as with Kafka's flush). */
    void awaitCompletion() {
        for (Future<?> send = pending.peek(); send != null; send = pending.peek()) {
            try {
                send.get();
            } catch (ExecutionException failed) {
                // The send's own future and callback report it; flush only waits.
            } catch (InterruptedException e) {
                throw new InterruptException("flush() interrupted", e);
            }
            pending.remove(send);
        }
    }

    /** How many sends may still be open (for tests). */
    int size() {
        return pending.size();
    }
}
