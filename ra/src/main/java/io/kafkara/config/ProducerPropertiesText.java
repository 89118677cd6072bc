package io.kafkara.config;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The {@code producerProperties} text: Kafka producer settings as {@code key=value} entries, one per line, or
 * several on one line separated by {@code ;} (the admin console edits a single line). A {@code ;} separates only
 * when a {@code key=} follows it, so a JAAS configuration's own {@code ;} stays in its value. Lines starting with
 * {@code #} are comments. Keys and values are trimmed; an empty value is a value.
 */
final class ProducerPropertiesText {

    private static final Pattern LINES = Pattern.compile("\\r?\\n|\\r");
    private static final Pattern ENTRIES = Pattern.compile(";(?=\\s*[A-Za-z][\\w-]*(\\.[\\w-]+)+\\s*=)");

    /** One {@code key=value} entry and where it was written. */
    record Entry(String key, String value, String position) {
    }

    /** The entries of a text, and what in it is not {@code key=value} (described without echoing it). */
    record Parsed(List<Entry> entries, List<String> problems) {
    }

    private ProducerPropertiesText() {
    }

    static Parsed parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (text == null) {
            return new Parsed(entries, problems);
        }
        String[] lines = LINES.split(text, -1);
        for (int line = 0; line < lines.length; line++) {
            String trimmedLine = lines[line].trim();
            if (trimmedLine.isEmpty() || trimmedLine.startsWith("#")) {
                continue;
            }
            String[] parts = ENTRIES.split(trimmedLine, -1);
            for (int part = 0; part < parts.length; part++) {
                String position = "line " + (line + 1) + (parts.length > 1 ? ", entry " + (part + 1) : "");
                parseEntry(parts[part].trim(), position, entries, problems);
            }
        }
        return new Parsed(entries, problems);
    }

    private static void parseEntry(String entry, String position, List<Entry> entries, List<String> problems) {
        if (entry.isEmpty()) {
            return;
        }
        int equals = entry.indexOf('=');
        String key = equals < 0 ? "" : entry.substring(0, equals).trim();
        if (key.isEmpty()) {
            // The text is not shown: a malformed entry may be a secret.
            problems.add("producerProperties " + position + " is not of the form key=value (not shown, it may hold "
                    + "a secret)");
            return;
        }
        // An empty value is passed on: Kafka gives some keys a meaning for it (ssl.endpoint.identification.algorithm).
        String value = entry.substring(equals + 1).trim();
        entries.add(new Entry(key, value, position));
    }

    /** The text as it may be printed: its entries with secret values hidden, unparseable parts left out. */
    static String describe(String text) {
        StringJoiner shown = new StringJoiner("; ", "{", "}");
        for (Entry entry : parse(text).entries()) {
            shown.add(entry.key() + "=" + Secrets.show(entry.key(), entry.value()));
        }
        return shown.toString();
    }
}
