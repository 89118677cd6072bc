package io.kafkara.observe;

/**
 * One connection definition as operators see it: its name in metrics and health data, its engines, and the state of
 * its transactions. Read when a metrics scrape or a health check asks, from any thread.
 */
public interface ObservedDefinition {

    /** The tag value that tells this definition's meters apart, and its key in the health check's data. */
    String name();

    /** The definition's application engines (not its branch journal's). */
    EngineRoster engines();

    /** Transactional engines lent to a transaction now: one per open transaction or XA branch. */
    int transactionalEnginesInUse();

    /** Transactional engines idle in the definition's pool. */
    int transactionalEnginesIdle();

    /** Branches prepared and not completed, as recover() reports them; 0 before the definition's first XA use. */
    int inDoubtBranches();

    /** Age of the oldest in-doubt branch in milliseconds; -1 when there is none. */
    long oldestInDoubtAgeMs();

    /** Writes of the branch journal (a branch recorded at prepare, or removed at its end) since the adapter started. */
    long journalWrites();
}
