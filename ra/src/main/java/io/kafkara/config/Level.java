package io.kafkara.config;

/** Where a value is configured. A definition's values override the adapter's. */
public enum Level {

    RESOURCE_ADAPTER("resource adapter"),
    CONNECTION_DEFINITION("connection definition");

    private final String label;

    Level(String label) {
        this.label = label;
    }

    /** As an administrator reads it in a message. */
    String label() {
        return label;
    }
}
