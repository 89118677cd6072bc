package io.kafkara.it.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines a server wrote to its log since a mark (the log's length in bytes when the step began). */
final class LogSince {

    private LogSince() {
    }

    /** The mark for "from now on". */
    static long mark(Path log) throws IOException {
        return Files.size(log);
    }

    static List<String> lines(Path log, long mark) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(mark, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
    }
}
