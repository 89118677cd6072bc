package io.kafkara.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The handles one managed connection gave out and has not seen closed: a set, by identity. Nearly always it holds one
 * handle (the container hands a connection to one caller at a time; a second appears only with connection sharing),
 * so the first lives in a field and only further ones in a list. One uncontended lock, not a concurrent set: the set
 * changes twice per getConnection/close, and a concurrent set's node and shared counter cost 7% of a
 * getConnection/send/close per record (src/docs/benchmarks.md).
 */
final class OpenHandles {

    private KafkaConnectionImpl first;
    /** The handles beyond the first, null until there are any. */
    private List<KafkaConnectionImpl> more;

    synchronized void add(KafkaConnectionImpl handle) {
        if (contains(handle)) {
            return;
        }
        if (first == null) {
            first = handle;
            return;
        }
        if (more == null) {
            more = new ArrayList<>(2);
        }
        more.add(handle);
    }

    /** @return whether {@code handle} was open here */
    synchronized boolean remove(KafkaConnectionImpl handle) {
        if (first == handle) {
            first = null;
            return true;
        }
        return more != null && more.removeIf(open -> open == handle);
    }

    /** The handles open now, for the caller to act on outside the lock. */
    synchronized List<KafkaConnectionImpl> snapshot() {
        List<KafkaConnectionImpl> open = new ArrayList<>(more == null ? 1 : more.size() + 1);
        if (first != null) {
            open.add(first);
        }
        if (more != null) {
            open.addAll(more);
        }
        return open;
    }

    /** Empties the set; returns what it held, for the caller to act on outside the lock. */
    synchronized List<KafkaConnectionImpl> removeAll() {
        if (first == null && (more == null || more.isEmpty())) {
            return List.of();
        }
        List<KafkaConnectionImpl> open = snapshot();
        first = null;
        more = null;
        return open;
    }

    private boolean contains(KafkaConnectionImpl handle) {
        if (first == handle) {
            return true;
        }
        if (more != null) {
            for (KafkaConnectionImpl open : more) {
                if (open == handle) {
                    return true;
                }
            }
        }
        return false;
    }
}
