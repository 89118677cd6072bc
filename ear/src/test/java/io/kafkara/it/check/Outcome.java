package io.kafkara.it.check;

/** What the caller was told about its transaction. */
public enum Outcome {
    /** The commit returned normally. */
    COMMITTED,
    /** The transaction was rolled back, or the caller saw it fail before the commit. */
    ROLLED_BACK,
    /** In doubt: the commit's answer never came (e.g. the server died, or a heuristic outcome). */
    UNKNOWN
}
