package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A turn keeps a late send of a completed transaction out of the engine's next transaction: once ended it lets no
 * send in, and the engine's give-back waits for the sends already inside.
 */
class EngineTurnTest {

    private final List<String> calls = new ArrayList<>();
    private final EngineTurn turn = new EngineTurn(null);

    @Test
    void withNoSendInsideTheGiveBackRunsAtOnceAndNoSendEntersAfter() {
        turn.end(() -> calls.add("given back"));

        assertEquals(List.of("given back"), calls);
        assertFalse(turn.enterSend(), "the engine may serve another transaction now");
        assertTrue(turn.hasEnded());
    }

    @Test
    void theGiveBackWaitsForTheLastSendThatEnteredBeforeTheEnd() {
        assertTrue(turn.enterSend());
        assertTrue(turn.enterSend());

        // the transaction manager's timeout thread rolls back while two sends are inside
        turn.end(() -> calls.add("given back"));
        assertEquals(List.of(), calls, "not while a send is inside");
        assertFalse(turn.enterSend(), "a third send after the end is not let in");

        turn.sendReturned();
        assertEquals(List.of(), calls);
        turn.sendReturned();
        assertEquals(List.of("given back"), calls, "on the thread of the last send to return");
    }

    @Test
    void onlyTheFirstEndCounts() {
        turn.end(() -> calls.add("given back"));
        turn.end(() -> calls.add("again"));

        assertEquals(List.of("given back"), calls);
    }
}
