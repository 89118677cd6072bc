package io.kafkara.it.broker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a node's log, for failure messages. */
public final class LogTail {

    /** Enough for the lines asked for; a broker log can grow to many megabytes. */
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    public static String of(Path file, int lines) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "---- last " + last.size() + " lines of " + file + "\n" + String.join("\n", last);
        } catch (IOException e) {
            return "---- cannot read " + file + ": " + e;
        }
    }
}
