package io.kafkara.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Each definition's meters in the server's Micrometer registry, read when the registry is scraped: Kafka's producer
 * metrics of its engines ({@link ProducerMeter}) and the adapter's own (transactional engines in use and idle,
 * in-doubt branches, journal writes), tagged {@code kafka.ra.definition}. Registered with the registry's name-based
 * methods only, which WildFly 39's deployment registry forwards to the server's (its builders' meters stay in the
 * deployment and are never exported). Loaded only once Micrometer's API was found visible.
 */
final class MicrometerMeters implements ObservedDefinitions.Listener {

    static final String DEFINITION_TAG = "kafka.ra.definition";

    private final MeterRegistry registry;
    /** Meters by definition; a gauge holds its definition weakly, so this map keeps it strongly too. */
    private final Map<ObservedDefinition, List<Meter.Id>> meters = new ConcurrentHashMap<>();

    MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of the deployment's registry, or null when the server offers none to this deployment. */
    static ObservedDefinitions.Listener fromBeans(BeanManager beans) {
        Set<Bean<?>> found = beans.getBeans(MeterRegistry.class);
        if (found.isEmpty()) {
            return null;
        }
        Bean<?> bean = beans.resolve(found);
        MeterRegistry registry = (MeterRegistry) beans.getReference(bean, MeterRegistry.class,
                beans.createCreationalContext(bean));
        return new MicrometerMeters(registry);
    }

    @Override
    public void added(ObservedDefinition definition) {
        Tags tags = Tags.of(DEFINITION_TAG, definition.name());
        List<Meter.Id> ids = new ArrayList<>();
        for (ProducerMeter meter : ProducerMeter.values()) {
            ToDoubleFunction<ObservedDefinition> value = d -> meter.read(d.engines());
            if (meter.kind() == ProducerMeter.Kind.TOTAL) {
                ids.add(registry.more().counter(meter.meterName(), tags, definition, value).getId());
            } else {
                gauge(ids, meter.meterName(), tags, definition, value);
            }
        }
        gauge(ids, "kafka.ra.transactional.engines.in.use", tags, definition,
                ObservedDefinition::transactionalEnginesInUse);
        gauge(ids, "kafka.ra.transactional.engines.idle", tags, definition,
                ObservedDefinition::transactionalEnginesIdle);
        gauge(ids, "kafka.ra.branches.in.doubt", tags, definition, ObservedDefinition::inDoubtBranches);
        ids.add(registry.more().counter("kafka.ra.journal.writes", tags, definition,
                ObservedDefinition::journalWrites).getId());
        meters.put(definition, ids);
    }

    private void gauge(List<Meter.Id> ids, String name, Tags tags, ObservedDefinition definition,
                       ToDoubleFunction<ObservedDefinition> value) {
        registry.gauge(name, tags, definition, value);
        Meter registered = registry.find(name).tags(tags).meter();
        if (registered != null) {
            ids.add(registered.getId());
        }
    }

    @Override
    public void removed(ObservedDefinition definition) {
        List<Meter.Id> ids = meters.remove(definition);
        if (ids != null) {
            ids.forEach(registry::remove);
        }
    }

    @Override
    public String toString() {
        return "the server's Micrometer registry";
    }
}
