package io.kafkara.tx;

/**
 * One transaction's hold of a borrowed transactional engine, from the borrow to the give-back. Sends enter the turn
 * and leave it; once the turn ended (the transaction completed, possibly on the transaction manager's timeout
 * thread while the application still sends), no send enters it, and the engine goes back to the set only when the
 * last send that entered before has returned. So a late send of a completed transaction can never land in the next
 * transaction of the same engine, which another application may have begun meanwhile. A send that is not let in
 * finds the engine without a transaction, as it did before engines were shared.
 */
public final class EngineTurn {

    private final TransactionalEngineLease lease;
    private boolean ended;
    private int sending;
    private Runnable afterSends;

    public EngineTurn(TransactionalEngineLease lease) {
        this.lease = lease;
    }

    public TransactionalEngineLease lease() {
        return lease;
    }

    /** Lets a send in; false once the turn ended. Every true is followed by {@link #sendReturned()}. */
    public synchronized boolean enterSend() {
        if (ended) {
            return false;
        }
        sending++;
        return true;
    }

    /** A send that entered has returned (its record is appended, or it failed). */
    public void sendReturned() {
        Runnable then;
        synchronized (this) {
            sending--;
            if (sending > 0 || afterSends == null) {
                return;
            }
            then = afterSends;
            afterSends = null;
        }
        then.run();
    }

    /**
     * Ends the turn: {@code then} (the give-back) runs now when no send is inside, else on the thread of the last
     * send to return. Only the first call counts.
     */
    public void end(Runnable then) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (sending > 0) {
                afterSends = then;
                return;
            }
        }
        then.run();
    }

    /** Whether the turn ended (its engine may serve another transaction now). */
    synchronized boolean hasEnded() {
        return ended;
    }
}
