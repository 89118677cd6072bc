package io.kafkara.config;

import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The validator of one of the adapter's own settings: what a value must be, said the same way in the error that
 * refuses a value and in the reference. Kafka's own validators word their messages for Kafka's keys; ours name the
 * JavaBean property the administrator set.
 */
final class SettingRule implements ConfigDef.Validator {

    private final Predicate<Object> accepts;
    private final String mustBe;
    private final String verb;

    private SettingRule(Predicate<Object> accepts, String verb, String mustBe) {
        this.accepts = accepts;
        this.verb = verb;
        this.mustBe = mustBe;
    }

    /** A text that must be one of these values, exactly. */
    static SettingRule oneOf(String... values) {
        List<String> allowed = List.of(values);
        return new SettingRule(allowed::contains, "is not one of", String.join(", ", allowed));
    }

    /** A whole number from {@code min} up. */
    static SettingRule atLeast(long min, String mustBe) {
        return new SettingRule(value -> ((Number) value).longValue() >= min, "must be", mustBe);
    }

    /** true or false, in any case. */
    static SettingRule flag() {
        return new SettingRule(value -> value instanceof Boolean, "must be", "true or false");
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value != null && !accepts.test(value)) {
            throw new ConfigException(problem(name, String.valueOf(value)));
        }
    }

    /** The problem of this text for the property, also when it does not even parse as the declared type. */
    String problem(String property, String text) {
        return property + "=" + text + " " + verb + " " + mustBe;
    }

    /** What the reference says a value must be. */
    @Override
    public String toString() {
        return mustBe;
    }
}
