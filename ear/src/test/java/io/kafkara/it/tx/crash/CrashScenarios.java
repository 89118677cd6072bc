package io.kafkara.it.tx.crash;

/** The names of the crash scenarios: each one a JTA transaction the server is killed in, at its own point. */
public final class CrashScenarios {

    /** The adapter's branch is prepared, the transaction manager has not logged a decision: presumed abort. */
    static final String UNDECIDED = "undecided";
    /** The adapter's branch is prepared and the commit decision is logged: recovery commits it. */
    public static final String DECIDED = "decided";
    /** Commit is under way: one Kafka branch is committed, the other one is still prepared. */
    static final String COMMITTING = "committing";
    /**
     * Released from its gate right before the kill: the commit of the adapter's branch races the kill, and may or may
     * not reach the broker.
     */
    static final String RACING = "racing";
    /** Records were sent in an open Kafka transaction, nothing was prepared: an orphan for the adapter to abort. */
    static final String SENDING = "sending";

    private CrashScenarios() {
    }
}
