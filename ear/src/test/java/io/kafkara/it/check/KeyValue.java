package io.kafkara.it.check;

import java.util.Objects;

/**
 * One record as a scenario sent it. The checker matches what it reads by {@code value} alone, so values must be
 * unique across the whole {@link History} (e.g. {@code "caller-3/txn-17/5"}); the key gives the per-key order.
 */
public record KeyValue(String key, String value) {

    public KeyValue {
        Objects.requireNonNull(key, "key: the checker compares send order per key, so every record needs one");
        Objects.requireNonNull(value, "value: the checker identifies records by their value");
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
