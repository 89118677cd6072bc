package io.kafkara.engine;

import java.util.List;

import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.common.utils.Time;

/**
 * MockClient for tests that let the Work run the loop on the test thread: with a fake clock a loop that waits for
 * time would spin forever, so after a bound of polls it fails the loop (an Error ends the Work) with a message.
 */
class GuardedClient extends MockClient {

    static final int MAX_POLLS = 1_000;
    private int polls;

    GuardedClient(Time time, Metadata metadata) {
        super(time, metadata);
    }

    @Override
    public List<ClientResponse> poll(long timeoutMs, long now) {
        if (++polls > MAX_POLLS) {
            throw new AssertionError("the sender loop polled " + MAX_POLLS + " times without finishing: it waits for "
                    + "time the fake clock never gives, or for an answer the test never prepared");
        }
        return super.poll(timeoutMs, now);
    }
}
