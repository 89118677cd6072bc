package io.kafkara.config;

import java.util.List;

/**
 * Settings that Kafka or the adapter rejects. The message names every problem: the key, the property or
 * producerProperties entry that set it, the value (hidden if secret) and what Kafka allows.
 */
public final class InvalidSettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param subject the level and its values (secrets hidden): the container does not name definitions yet
     * @param secrets secret values that must not appear, even where a non-secret value happens to equal one
     */
    InvalidSettingsException(SettingValues subject, List<String> problems, List<String> secrets) {
        super(Secrets.scrub(message(subject, problems), secrets));
        this.problems = problems.stream().map(problem -> Secrets.scrub(problem, secrets)).toList();
    }

    /** Each problem, one sentence each, secrets hidden. */
    List<String> problems() {
        return problems;
    }

    private static String message(SettingValues subject, List<String> problems) {
        StringBuilder message = new StringBuilder("Invalid Kafka producer settings of the ").append(subject)
                .append(" (").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("): ");
        for (int i = 0; i < problems.size(); i++) {
            message.append(i == 0 ? "" : "; ").append('(').append(i + 1).append(") ").append(problems.get(i));
        }
        return message.toString();
    }
}
