package io.kafkara.engine.kafka;

/** What the coordinator showed for a transactional id asked to abort an open transaction, and what was done. */
public enum AbortOutcome {
    /** No open transaction (never used, empty or completed): nothing to do. */
    NOT_OPEN,
    /** An Ongoing transaction was aborted. */
    ABORTED,
    /** The coordinator is already completing it (PrepareCommit/PrepareAbort/PrepareEpochFence). */
    COMPLETING,
    /** It was Ongoing, but ended before the abort arrived (the coordinator refused the stale epoch). */
    ENDED_MEANWHILE
}
