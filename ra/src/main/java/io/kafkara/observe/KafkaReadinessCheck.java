package io.kafkara.observe;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The adapter's readiness check, {@code kafka-ra}: down while one of its definitions cannot serve sends
 * ({@link DefinitionReadiness}), with each definition's status, reason and in-doubt branches as data. Loaded only
 * once MicroProfile Health's API was found visible; a liveness check it is not: a broker outage must not restart
 * the server.
 */
final class KafkaReadinessCheck implements HealthCheck {

    static final String NAME = "kafka-ra";

    @Override
    public HealthCheckResponse call() {
        DefinitionReadiness.Report report = DefinitionReadiness.of(ObservedDefinitions.all());
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(report.up());
        report.data().forEach((key, value) -> {
            if (value instanceof Long number) {
                response.withData(key, number);
            } else {
                response.withData(key, String.valueOf(value));
            }
        });
        return response.build();
    }
}
