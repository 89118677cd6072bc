package io.kafkara.api;

/**
 * The adapter could not give the application what it asked for: no connection was available, the adapter
 * is stopped or misconfigured. The message names the cause and what to change.
 */
public class KafkaResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaResourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaResourceException(String message) {
        super(message);
    }
}
