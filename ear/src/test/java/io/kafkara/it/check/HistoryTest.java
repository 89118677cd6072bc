package io.kafkara.it.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The history refuses what would make the checker's matching by value ambiguous. */
class HistoryTest {

    private final History history = new History();

    @Test
    void aValueRecordedTwiceIsRefused() {
        history.acknowledged("k1", "a1");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> history.failed("k2", "a1", "TimeoutException"));

        assertTrue(refused.getMessage().startsWith("Value a1 recorded twice"), refused::getMessage);
    }

    @Test
    void aRefusedTransactionLeavesTheHistoryAsItWas() {
        history.acknowledged("k1", "a1");

        assertThrows(IllegalArgumentException.class, () -> history.transaction("t1",
                List.of(new KeyValue("k1", "a2"), new KeyValue("k1", "a1")), Outcome.COMMITTED));
        assertThrows(IllegalArgumentException.class, () -> history.transaction("t1",
                List.of(new KeyValue("k1", "a3"), new KeyValue("k1", "a3")), Outcome.COMMITTED));

        assertEquals(Map.of("k1", List.of("a1")), history.valuesByKey());
        assertEquals(List.of(), history.transactions());
    }

    @Test
    void aTransactionNeedsRecordsAndAnIdOfItsOwn() {
        assertThrows(IllegalArgumentException.class, () -> history.transaction("t1", List.of(), Outcome.ROLLED_BACK));
        history.transaction("t1", List.of(new KeyValue("k1", "a1")), Outcome.ROLLED_BACK);

        assertThrows(IllegalArgumentException.class,
                () -> history.transaction("t1", List.of(new KeyValue("k1", "a2")), Outcome.COMMITTED));
    }

    @Test
    void concurrentCallersLoseNoRecordingAndKeepTheirOrder() throws InterruptedException {
        int callers = 4;
        int values = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            String caller = "caller-" + c;
            threads.add(new Thread(() -> {
                for (int i = 0; i < values; i++) {
                    history.acknowledged(caller, caller + "/" + i);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(30_000);
            assertFalse(thread.isAlive(), "a caller did not finish recording within 30 s");
        }

        Map<String, List<String>> byKey = history.valuesByKey();
        assertEquals(callers, byKey.size());
        byKey.forEach((caller, recorded) -> assertEquals(
                IntStream.range(0, values).mapToObj(i -> caller + "/" + i).toList(), recorded));
        assertEquals(callers * values, history.byValue().size());
    }

    @Test
    void sendOrderIsRecordingOrderPerKeyAcrossTransactions() {
        history.acknowledged("k1", "a1");
        history.transaction("t1", List.of(new KeyValue("k2", "b1"), new KeyValue("k1", "a2")), Outcome.COMMITTED);
        history.failed("k1", "a3", "TimeoutException");

        assertEquals(Map.of("k1", List.of("a1", "a2", "a3"), "k2", List.of("b1")), history.valuesByKey());
    }
}
