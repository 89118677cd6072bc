package io.kafkara.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkara.engine.ProducerEngine;

/**
 * Whether the adapter's definitions can serve sends now, for a readiness check: a definition is down while one of
 * its engines' sender loop does not run (ended, or not started by the container within max.block.ms), or while none
 * of its engines has had an answer from any broker for longer than max.block.ms. Looking probes: an idle engine finds
 * out by asking for metadata. A definition without engines yet is up (nothing can tell otherwise). The data carry,
 * per definition, the reason when down and the in-doubt branches.
 */
public final class DefinitionReadiness {

    /** The check's outcome: up only when every definition is. */
    public record Report(boolean up, Map<String, Object> data) {
    }

    private DefinitionReadiness() {
    }

    static Report of(List<ObservedDefinition> definitions) {
        boolean allUp = true;
        Map<String, Object> data = new LinkedHashMap<>();
        for (ObservedDefinition definition : definitions) {
            List<ProducerEngine> engines = definition.engines().live();
            String reason = downReason(engines);
            String key = definition.name();
            data.put(key + ".status", reason == null ? "UP" : "DOWN");
            if (reason != null) {
                data.put(key + ".reason", reason);
                allUp = false;
            }
            data.put(key + ".engines", (long) engines.size());
            data.put(key + ".inDoubtBranches", (long) definition.inDoubtBranches());
            data.put(key + ".oldestInDoubtAgeMs", definition.oldestInDoubtAgeMs());
        }
        return new Report(allUp, data);
    }

    /** Why the definition with these engines cannot serve, or null when it can. */
    static String downReason(List<ProducerEngine> engines) {
        String unreachable = null;
        boolean anyReaches = false;
        for (ProducerEngine engine : engines) {
            if (engine.isClosed()) {
                continue;
            }
            if (!engine.isAlive()) {
                return "the sender loop of Kafka client " + engine.clientId() + " is not running";
            }
            long waitedMs = engine.unreachableForMs();
            if (waitedMs <= engine.maxBlockMs()) {
                anyReaches = true;
            } else if (unreachable == null) {
                unreachable = "Kafka client " + engine.clientId() + " has had no answer from any broker for "
                        + waitedMs + " ms (max.block.ms=" + engine.maxBlockMs() + ")";
            }
        }
        return anyReaches ? null : unreachable;
    }
}
