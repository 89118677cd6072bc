package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.common.utils.LogContext;
import org.junit.jupiter.api.Test;

/** Kafka's poison-on-invalid-transition safety net, restored for a sender loop on a container thread. */
class EngineTransactionManagerTest {

    private static EngineTransactionManager manager(boolean onSenderLoop) {
        return new EngineTransactionManager(new LogContext(), "tx", 60_000, 100, new ApiVersions(), false,
                () -> onSenderLoop);
    }

    @Test
    void anInvalidTransitionOnTheSenderLoopPoisonsTheState() {
        EngineTransactionManager manager = manager(true);
        // UNINITIALIZED -> IN_TRANSACTION is invalid
        assertThrows(IllegalStateException.class, manager::beginTransaction);

        IllegalStateException next = assertThrows(IllegalStateException.class, manager::beginTransaction);
        assertTrue(next.getMessage().contains("previous invalid state transition"),
                "the state stays failed for every later call: " + next.getMessage());
    }

    @Test
    void anInvalidTransitionOnAnApplicationThreadOnlyThrows() {
        EngineTransactionManager manager = manager(false);
        assertThrows(IllegalStateException.class, manager::beginTransaction);

        IllegalStateException next = assertThrows(IllegalStateException.class, manager::beginTransaction);
        assertTrue(next.getMessage().contains("Invalid transition attempted"),
                "the state was not poisoned, the same mistake is reported again: " + next.getMessage());
    }
}
