package io.kafkara.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kafkara.engine.ProducerEngine;

/**
 * The application engines of one connection definition, for the definition's metrics: Kafka's counters summed over
 * the live engines plus what retired engines counted (read just before each one released its metrics), so that a
 * counter never goes down when the pool closes an idle engine; gauges over the live engines only.
 */
public final class EngineRoster {

    /**
     * The counters a retiring engine hands over, resolved when the first engine is added: an engine may retire while
     * the container stops the adapter after removing its classes (Open Liberty), when no class can be loaded.
     */
    private static final List<String> TOTALS = Arrays.stream(ProducerMeter.values())
            .filter(meter -> meter.kind() == ProducerMeter.Kind.TOTAL).map(ProducerMeter::kafkaName).toList();

    private final Set<ProducerEngine> live = new LinkedHashSet<>();
    private final Map<String, Double> retiredTotals = new HashMap<>();

    /** Adds an engine; it leaves the roster, its totals kept, when it releases its metrics. */
    public void add(ProducerEngine engine) {
        synchronized (this) {
            live.add(engine);
        }
        engine.beforeRelease(() -> retire(engine));
    }

    private synchronized void retire(ProducerEngine engine) {
        if (!live.remove(engine)) {
            return;
        }
        for (String kafkaName : TOTALS) {
            double value = engine.producerMetric(kafkaName);
            if (!Double.isNaN(value)) {
                retiredTotals.merge(kafkaName, value, Double::sum);
            }
        }
    }

    /** The engines now in the roster. */
    synchronized List<ProducerEngine> live() {
        return new ArrayList<>(live);
    }

    /** A producer-metrics counter summed over every engine the definition ever had. */
    synchronized double total(String kafkaName) {
        double live = combine(kafkaName, false);
        return retiredTotals.getOrDefault(kafkaName, 0.0) + (Double.isNaN(live) ? 0 : live);
    }

    /** A producer-metrics gauge summed over the live engines (NaN with none). */
    synchronized double sum(String kafkaName) {
        return combine(kafkaName, false);
    }

    /** A producer-metrics gauge averaged over the live engines that have a value (NaN with none). */
    synchronized double mean(String kafkaName) {
        return combine(kafkaName, true);
    }

    /** The largest value of a producer-metrics gauge among the live engines (NaN with none). */
    synchronized double max(String kafkaName) {
        double max = Double.NaN;
        for (ProducerEngine engine : live) {
            double value = engine.producerMetric(kafkaName);
            if (!Double.isNaN(value) && (Double.isNaN(max) || value > max)) {
                max = value;
            }
        }
        return max;
    }

    private double combine(String kafkaName, boolean average) {
        double sum = 0;
        int counted = 0;
        for (ProducerEngine engine : live) {
            double value = engine.producerMetric(kafkaName);
            if (!Double.isNaN(value)) {
                sum += value;
                counted++;
            }
        }
        if (counted == 0) {
            return Double.NaN;
        }
        return average ? sum / counted : sum;
    }
}
