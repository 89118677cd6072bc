package io.kafkara.sample;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;

/**
 * Real traffic for the README's run command: when the server has the system property
 * {@value #TOPIC_PROPERTY}, publishes one order event per second to that topic through {@link OrderEvents}.
 * Without the property (tests, production) it does nothing.
 */
@Singleton
@Startup
public class DemoTraffic {

    public static final String TOPIC_PROPERTY = "sample.demo.topic";
    private static final Logger LOG = Logger.getLogger(DemoTraffic.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private OrderEvents orderEvents;

    private final AtomicLong sequence = new AtomicLong();
    private String topic;

    @PostConstruct
    void scheduleWhenAsked() {
        topic = System.getProperty(TOPIC_PROPERTY);
        if (topic != null && !topic.isBlank()) {
            timers.createIntervalTimer(1000, 1000, new TimerConfig("demo-traffic", false));
            LOG.info(() -> "Publishing one demo order event per second to topic " + topic);
        }
    }

    @Timeout
    void publishOne() {
        long n = sequence.incrementAndGet();
        try {
            orderEvents.publish(topic, "order-" + n, "{\"order\":" + n + ",\"at\":\"" + Instant.now() + "\"}");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Demo order " + n + " was not published: " + e.getMessage());
        }
    }
}
