package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The engines of a definition follow its transactions: borrowed at begin, given back at completion, a prepared one
 * kept by its connection, idle ones beyond the floor closed after the idle time (looked at on borrow and give-back,
 * the clock stepped by the test). Transcript of the engines' lives: {@code open:N, close:N, closeIdle:N}.
 */
class TransactionalEngineSetTest {

    private final List<String> calls = new ArrayList<>();
    private long now = 1_000;
    private int opened;
    private RuntimeException openFailure;

    private final class FakeEngine implements TransactionalEngineSet.Member {
        final int number;
        TxState state = TxState.IDLE;
        boolean usable = true;

        FakeEngine(int number) {
            this.number = number;
        }

        @Override
        public TxState state() {
            return state;
        }

        @Override
        public boolean isUsable() {
            return usable;
        }

        @Override
        public void close() {
            calls.add("close:" + number);
        }

        @Override
        public void closeIdle() {
            calls.add("closeIdle:" + number);
        }
    }

    private final TransactionalEngineSet<FakeEngine> set = new TransactionalEngineSet<>(() -> {
        if (openFailure != null) {
            throw openFailure;
        }
        calls.add("open:" + opened);
        return new FakeEngine(opened++);
    }, () -> now, 1, 60_000);

    @Test
    void concurrentTransactionsGetTheirOwnEnginesAndACompletedOneServesTheNext() {
        FakeEngine first = set.borrow();
        FakeEngine second = set.borrow();
        assertEquals(2, set.borrowedCount());

        set.giveBack(first);
        FakeEngine third = set.borrow();

        assertSame(first, third, "an idle engine is lent again, no new one opens");
        assertEquals(List.of("open:0", "open:1"), calls);
        set.giveBack(second);
        set.giveBack(third);
        assertEquals(0, set.borrowedCount());
        assertEquals(2, set.idleCount());
    }

    @Test
    void theMostRecentlyReturnedEngineIsLentFirstSoTheOthersCanIdleOut() {
        FakeEngine a = set.borrow();
        FakeEngine b = set.borrow();
        set.giveBack(a);
        now += 10;
        set.giveBack(b);

        assertSame(b, set.borrow());
    }

    @Test
    void aPreparedBranchKeepsItsEngineUntilItsCompletion() {
        FakeEngine prepared = set.borrow();
        prepared.state = TxState.PREPARED;

        FakeEngine other = set.borrow();

        assertTrue(prepared != other, "the prepared engine is not lent while its connection holds it");
        prepared.state = TxState.IDLE;
        set.giveBack(prepared);
        assertSame(prepared, set.borrow(), "after commit it serves the next transaction");
    }

    @Test
    void anEngineGivenBackFailedOrUnresolvedIsClosedNeverLentAgain() {
        FakeEngine failed = set.borrow();
        FakeEngine unresolved = set.borrow();
        failed.state = TxState.FAILED;
        failed.usable = false;
        unresolved.state = TxState.UNRESOLVED;
        unresolved.usable = false;

        set.giveBack(failed);
        set.giveBack(unresolved);
        FakeEngine next = set.borrow();

        assertEquals(List.of("open:0", "open:1", "close:0", "close:1", "open:2"), calls);
        assertEquals(2, next.number);
        assertEquals(0, set.idleCount());
    }

    @Test
    void anIdleEngineThatDiedMeanwhileIsClosedAtTheNextBorrowAndANewOneOpens() {
        FakeEngine engine = set.borrow();
        set.giveBack(engine);
        engine.usable = false;

        FakeEngine next = set.borrow();

        assertEquals(1, next.number);
        assertEquals(List.of("open:0", "closeIdle:0", "open:1"), calls);
    }

    @Test
    void idleEnginesBeyondTheFloorCloseAfterTheIdleTimeAtTheNextBorrowOrGiveBack() {
        FakeEngine a = set.borrow();
        FakeEngine b = set.borrow();
        FakeEngine c = set.borrow();
        set.giveBack(a);
        set.giveBack(b);
        now += 59_999;
        set.giveBack(c);
        assertEquals(3, set.idleCount(), "nothing idle for the idle time yet");

        now += 1;
        FakeEngine lent = set.borrow();

        assertSame(c, lent, "the most recent is lent");
        assertEquals(List.of("open:0", "open:1", "open:2", "closeIdle:0"), calls,
                "b, the most recent idle one, is the floor of one; a idled 60 s beyond it");
        assertEquals(1, set.idleCount());
        now += 120_000;
        set.giveBack(lent);
        assertEquals(List.of("open:0", "open:1", "open:2", "closeIdle:0", "closeIdle:1"), calls,
                "the give-back looks too: b is beyond the floor now that c is the most recent");
        assertEquals(1, set.idleCount());
    }

    @Test
    void whenTheWorkManagerHasNoThreadEveryIdleEngineClosesFloorIncludedButNoLentOne() {
        FakeEngine lent = set.borrow();
        FakeEngine a = set.borrow();
        FakeEngine b = set.borrow();
        set.giveBack(a);
        set.giveBack(b);

        set.closeAllIdle();

        assertEquals(List.of("open:0", "open:1", "open:2", "closeIdle:2", "closeIdle:1"), calls);
        assertEquals(0, set.idleCount());
        assertEquals(1, set.borrowedCount());
        set.giveBack(lent);
        assertEquals(1, set.idleCount());
    }

    @Test
    void aBorrowThatCannotOpenAnEngineFailsWithTheOpenersErrorAndCountsNothing() {
        openFailure = new IllegalStateException("All 2 transactional ids of orders-node1-* are in use");

        IllegalStateException refused = assertThrows(IllegalStateException.class, set::borrow);

        assertSame(openFailure, refused);
        assertEquals(0, set.borrowedCount());
    }

    @Test
    void aDiscardedEngineIsClosedAndNotLent() {
        FakeEngine engine = set.borrow();
        engine.state = TxState.XA_ACTIVE;

        set.discard(engine);

        assertEquals(List.of("open:0", "close:0"), calls);
        assertEquals(0, set.borrowedCount());
        assertEquals(0, set.idleCount());
    }
}
