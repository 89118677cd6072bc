package io.kafkara.observe;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs the adapter into what the server offers its deployments through CDI, where it offers it: MicroProfile Health
 * (the readiness check, a bean of the deployment) and Micrometer (the server's meter registry, a bean of the
 * deployment on WildFly). It runs with the CDI container of the deployment the adapter is part of: an EAR that
 * contains it, or the standalone adapter itself (its archive is a bean archive). Where an API is absent it does
 * nothing, and says so at DEBUG only.
 */
public final class ObservabilityExtension implements Extension {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityExtension.class);

    private ObservedDefinitions.Listener meters;

    void addReadinessCheck(@Observes AfterBeanDiscovery discovery) {
        OptionalApi.MICROPROFILE_HEALTH.call("io.kafkara.observe.ReadinessBean", "add", AfterBeanDiscovery.class,
                discovery);
    }

    void bindMeters(@Observes AfterDeploymentValidation validated, BeanManager beans) {
        meters = (ObservedDefinitions.Listener) OptionalApi.MICROMETER.call("io.kafkara.observe.MicrometerMeters",
                "fromBeans", BeanManager.class, beans);
        if (meters != null) {
            ObservedDefinitions.addListener(meters);
            LOG.debug("The connection definitions' meters go to {}", meters);
        }
    }

    void unbindMeters(@Observes BeforeShutdown shutdown) {
        if (meters != null) {
            ObservedDefinitions.removeListener(meters);
            meters = null;
        }
    }
}
