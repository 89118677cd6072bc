package io.kafkara.observe;

import java.util.List;

import io.kafkara.engine.ProducerEngine;

/** Test-only access to what operators watch, for the engine's tests. */
public final class ObserveAccess {

    private ObserveAccess() {
    }

    public static double total(EngineRoster roster, String metric) {
        return roster.total(metric);
    }

    public static List<ProducerEngine> live(EngineRoster roster) {
        return roster.live();
    }

    /** Whether the readiness check reports these definitions up, and why not. */
    public static DefinitionReadiness.Report readiness(List<ObservedDefinition> definitions) {
        return DefinitionReadiness.of(definitions);
    }
}
