package io.kafkara.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The definitions of this deployment of the adapter (one per class loader: the server gives each deployment its
 * own), and who shows them: the server's meter registry, found by the CDI extension at deployment, and the health
 * check, which reads them when asked. A definition registers at its activation and leaves when its adapter stops.
 */
public final class ObservedDefinitions {

    /** Shows definitions somewhere (a meter registry); told of each one that comes and goes. */
    public interface Listener {
        void added(ObservedDefinition definition);

        void removed(ObservedDefinition definition);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ObservedDefinitions.class);
    private static final Map<ObservedDefinition, Object> DEFINITIONS = new LinkedHashMap<>();
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    private ObservedDefinitions() {
    }

    /** Registers a definition of {@code owner} (its resource adapter) and shows it to every listener. */
    public static void register(Object owner, ObservedDefinition definition) {
        synchronized (DEFINITIONS) {
            if (DEFINITIONS.putIfAbsent(definition, owner) != null) {
                return;
            }
        }
        LISTENERS.forEach(listener -> tell(listener, definition, true));
    }

    /** Removes every definition of {@code owner}: its adapter stops. */
    public static void unregisterAll(Object owner) {
        List<ObservedDefinition> gone = new ArrayList<>();
        synchronized (DEFINITIONS) {
            DEFINITIONS.entrySet().removeIf(entry -> entry.getValue() == owner && gone.add(entry.getKey()));
        }
        gone.forEach(definition -> LISTENERS.forEach(listener -> tell(listener, definition, false)));
    }

    /** The definitions now registered, in the order they came. */
    static List<ObservedDefinition> all() {
        synchronized (DEFINITIONS) {
            return new ArrayList<>(DEFINITIONS.keySet());
        }
    }

    /** Adds a listener and tells it of every definition already registered. */
    static void addListener(Listener listener) {
        LISTENERS.add(listener);
        all().forEach(definition -> tell(listener, definition, true));
    }

    /** Removes a listener and tells it that every definition is gone (it removes what it showed). */
    static void removeListener(Listener listener) {
        if (LISTENERS.remove(listener)) {
            all().forEach(definition -> tell(listener, definition, false));
        }
    }

    /** A listener that fails must not fail the definition's activation or the adapter's stop. */
    private static void tell(Listener listener, ObservedDefinition definition, boolean added) {
        try {
            if (added) {
                listener.added(definition);
            } else {
                listener.removed(definition);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("KAFKARA-OBS-001: the definition {} could not be {} {}: {}", definition.name(),
                    added ? "shown in" : "removed from", listener, e.toString());
        }
    }
}
