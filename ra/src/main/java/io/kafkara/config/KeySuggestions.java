package io.kafkara.config;

import java.util.Optional;

import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka producer key closest to a mistyped one, for "did you mean" hints. */
final class KeySuggestions {

    private KeySuggestions() {
    }

    /** The closest producer key, if it is close enough to be the intended one (a few typed characters off). */
    static Optional<String> closest(String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : ProducerConfig.configNames()) {
            int distance = distance(typed.toLowerCase(java.util.Locale.ROOT), key);
            if (distance < bestDistance || (distance == bestDistance && key.compareTo(best) < 0)) {
                best = key;
                bestDistance = distance;
            }
        }
        int tolerance = Math.max(2, typed.length() / 4);
        return bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
