package io.kafkara.engine;

/**
 * The container did not start an engine's sender Work within {@code max.block.ms} of its submission: every
 * long-running thread of the resource adapter's work manager is busy, and without its loop the engine can send
 * nothing. The engine gives up (its buffered records fail) and the next connection tries again with a new one.
 */
public final class SenderNotStartedException extends EngineStoppedException {

    private static final long serialVersionUID = 1L;

    /** What an operator raises when sender Works wait for threads; the same advice wherever the wait is noticed. */
    public static final String WORK_MANAGER_ADVICE = "Give the work manager more long-running threads (WildFly: "
            + "max-threads and queue-length of the long-running-threads of the work manager of the resource adapter's "
            + "bootstrap-context, /subsystem=jca/workmanager=default/long-running-threads=default unless the adapter "
            + "names another one), or run fewer concurrent transactions (one engine each)";

    SenderNotStartedException(String clientId, long waitedMs, long maxBlockMs) {
        super("KAFKARA-ENG-008: the container has not started the sender Work of producer engine " + clientId
                + " within max.block.ms (" + maxBlockMs + " ms; it waited " + waitedMs + " ms): every long-running "
                + "thread of the resource adapter's work manager is busy, one per engine. " + WORK_MANAGER_ADVICE
                + "; the next connection tries again with a new engine");
    }
}
