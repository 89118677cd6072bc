package io.kafkara.engine;

/**
 * Thrown by every operation of an engine whose sender loop stopped while the engine was not closing: nothing it
 * buffers can ever be sent. The connection that owns the engine must be destroyed and a new one created.
 */
public class EngineStoppedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    EngineStoppedException(String clientId, Throwable cause) {
        super("KAFKARA-ENG-001: the sender loop of producer engine " + clientId + " stopped (" + cause
                + "); the engine cannot send any more: destroy this connection and create a new one", cause);
    }

    /** For an engine that can never send for another reason, told by {@code message}. */
    EngineStoppedException(String message) {
        super(message);
    }
}
