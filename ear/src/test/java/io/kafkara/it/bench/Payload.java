package io.kafkara.it.bench;

/** The benchmark's record value: {@code size} ASCII characters, so {@code size} bytes once serialized. */
final class Payload {

    private Payload() {
    }

    static String of(int size) {
        return "x".repeat(size);
    }
}
