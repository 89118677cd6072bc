package org.apache.kafka.clients.producer.internals;

/** Test-only door to the Sender's package-private single iteration, so engine tests can step the real loop. */
public final class SenderSteps {

    private SenderSteps() {
    }

    public static void runOnce(Sender sender) {
        sender.runOnce();
    }
}
