package io.kafkara.engine;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.kafkara.engine.kafka.ApplicationPlugins;

/**
 * The plug-in sets of one connection definition, one per application class loader that names different classes:
 * every application's records go through instances of its own serializer, partitioner and interceptor classes, and
 * a redeployed application gets new instances of its new classes.
 *
 * <p>Nothing here pins an application. A set whose classes all come from the adapter or from server modules it sees
 * serves every application and lives as long as this object. A set with an application's classes is kept in that
 * application's own class (a {@link ClassValue} of its plug-in class, its "anchor"): it lives exactly as long as
 * that class, so it goes when the application goes. The anchor is the plug-in class whose loader sees all the other
 * plug-in classes, so the set outlives none of them. {@link #close()} (the definition stops) closes and forgets every
 * set it can still reach, so an application that stays does not pin a redeployed adapter either.
 */
public final class PluginsPerApplication implements AutoCloseable {

    private final Map<String, Object> settings;
    private final String clientId;
    private final ClassLoader adapterLoader = PluginsPerApplication.class.getClassLoader();
    private final ClassValue<ConcurrentMap<List<Class<?>>, ApplicationPlugins>> anchored = new ClassValue<>() {
        @Override
        protected ConcurrentMap<List<Class<?>>, ApplicationPlugins> computeValue(Class<?> anchor) {
            return new ConcurrentHashMap<>();
        }
    };
    /** The anchors in use, weakly: for close(). */
    private final Set<Class<?>> anchors = Collections.newSetFromMap(new WeakHashMap<>());
    /** The last set per loader, both weakly: a lookup without resolving classes, pinning nothing. */
    private final Map<ClassLoader, WeakReference<ApplicationPlugins>> recent = new WeakHashMap<>();
    private ApplicationPlugins shared;
    private volatile boolean closed;

    /**
     * @param settings the definition's settings for plug-ins (its producer settings and its plug-in properties)
     * @param clientId what the plug-ins' {@code configure} gets as client.id
     */
    public PluginsPerApplication(Map<String, Object> settings, String clientId) {
        this.settings = Map.copyOf(settings);
        this.clientId = clientId;
    }

    /**
     * The set for an application's class loader (the caller's context class loader), built on first use.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting when a class cannot be loaded or used
     * @throws IllegalStateException after {@link #close()}
     */
    public ApplicationPlugins forLoader(ClassLoader applicationLoader) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The plug-ins of client " + clientId + " are closed");
            }
            WeakReference<ApplicationPlugins> last = recent.get(applicationLoader);
            ApplicationPlugins known = last == null ? null : last.get();
            if (known != null) {
                return known;
            }
        }
        List<Class<?>> classes = ApplicationPlugins.classesFor(settings, applicationLoader);
        Class<?> anchor = anchor(classes);
        ApplicationPlugins plugins;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The plug-ins of client " + clientId + " are closed");
            }
            if (anchor == null) {
                if (shared == null) {
                    shared = ApplicationPlugins.assemble(settings, adapterLoader, clientId);
                }
                plugins = shared;
            } else {
                anchors.add(anchor);
                plugins = anchored.get(anchor).computeIfAbsent(classes,
                        named -> ApplicationPlugins.assemble(settings, applicationLoader, clientId));
            }
            recent.put(applicationLoader, new WeakReference<>(plugins));
        }
        return plugins;
    }

    /** Closes every set still reachable and drops them from their anchors; later lookups fail. */
    @Override
    public void close() {
        List<ApplicationPlugins> sets = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Class<?> anchor : new ArrayList<>(anchors)) {
                sets.addAll(anchored.get(anchor).values());
                anchored.remove(anchor);
            }
            anchors.clear();
            recent.clear();
            if (shared != null) {
                sets.add(shared);
                shared = null;
            }
        }
        sets.forEach(ApplicationPlugins::close);
    }

    public boolean isClosed() {
        return closed;
    }

    /** How many sets with application classes are reachable now (for tests). */
    synchronized int applicationSets() {
        return anchors.stream().mapToInt(anchor -> anchored.get(anchor).size()).sum();
    }

    /**
     * The class to keep an application's set in: of the classes the adapter's loader does not give the same way,
     * the one whose loader sees all the others; null when the adapter's loader gives them all (one set serves all).
     */
    private Class<?> anchor(List<Class<?>> classes) {
        List<Class<?>> own = classes.stream().filter(type -> !sameThrough(adapterLoader, type)).toList();
        if (own.isEmpty()) {
            return null;
        }
        for (Class<?> candidate : own) {
            ClassLoader loader = candidate.getClassLoader();
            if (classes.stream().allMatch(other -> sameThrough(loader, other))) {
                return candidate;
            }
        }
        return own.get(0);
    }

    private static boolean sameThrough(ClassLoader loader, Class<?> type) {
        try {
            return Class.forName(type.getName(), false, loader) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
