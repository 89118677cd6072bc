package io.kafkara.observe;

import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * Adds {@link KafkaReadinessCheck} to the deployment as a {@code @Readiness} bean: MicroProfile Health finds checks
 * among the deployment's beans. Loaded only once MicroProfile Health's API was found visible.
 */
final class ReadinessBean {

    private ReadinessBean() {
    }

    static void add(AfterBeanDiscovery discovery) {
        discovery.addBean()
                .beanClass(KafkaReadinessCheck.class)
                .types(HealthCheck.class, Object.class)
                .qualifiers(Readiness.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(context -> new KafkaReadinessCheck());
    }
}
