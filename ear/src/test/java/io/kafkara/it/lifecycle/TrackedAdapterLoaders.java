package io.kafkara.it.lifecycle;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The class loaders of the adapter deployments the probe published through, per client run (the run's topic),
 * held weakly: the probe outlives every adapter deployment of a run, so it can tell after an undeploy and a full GC
 * whether the server still holds a loader of that run, identified by the object itself rather than by its name (the
 * sample EAR's adapter module has the same name in every test class that deploys it).
 */
final class TrackedAdapterLoaders {

    private static final Map<String, List<WeakReference<ClassLoader>>> BY_RUN = new ConcurrentHashMap<>();

    /**
     * The weak references of the run a heap dump was last asked for, where {@link ServerHeldLoaders} finds them in
     * the dump (their referents are the run's loaders still reachable); weak, so they add no path to a loader.
     */
    @SuppressWarnings("unused")
    private static volatile WeakReference<?>[] heapDumpSubjects = new WeakReference<?>[0];
    /** The run {@link #heapDumpSubjects} belong to (an earlier probe's copy of this class may still be loaded). */
    @SuppressWarnings("unused")
    private static volatile String heapDumpRun;

    private TrackedAdapterLoaders() {
    }

    /** Remembers the loader once per run; the probe never keeps it strongly. */
    static void track(String run, ClassLoader loader) {
        List<WeakReference<ClassLoader>> loaders = BY_RUN.computeIfAbsent(run, key -> new CopyOnWriteArrayList<>());
        synchronized (loaders) {
            if (loaders.stream().noneMatch(seen -> seen.get() == loader)) {
                loaders.add(new WeakReference<>(loader));
            }
        }
    }

    /**
     * Tracks the loaders other applications of the run left, weakly, in the system properties under
     * {@code prefix + run + "."} (applications that do not see this class: ManyApplicationsIT's redeployed one).
     */
    static void adoptRegistered(String prefix, String run) {
        String key = prefix + run + ".";
        new java.util.TreeMap<>(System.getProperties()).forEach((name, value) -> {
            if (name.toString().startsWith(key) && value instanceof WeakReference<?> reference
                    && reference.get() instanceof ClassLoader loader) {
                track(run, loader);
            }
        });
    }

    /** Makes the run's loaders findable in the next heap dump ({@link #heapDumpSubjects}). */
    static void markForHeapDump(String run) {
        heapDumpSubjects = BY_RUN.getOrDefault(run, List.of()).toArray(new WeakReference<?>[0]);
        heapDumpRun = run;
    }

    /** How many distinct loaders the run published through. */
    static int tracked(String run) {
        return BY_RUN.getOrDefault(run, List.of()).size();
    }

    /**
     * The loaders of the run that are still reachable (ask after a full GC), each as "deployment n name@identity",
     * n counting the run's deployments in the order the probe first published through them.
     */
    static List<String> reachable(String run) {
        List<WeakReference<ClassLoader>> loaders = BY_RUN.getOrDefault(run, List.of());
        List<String> alive = new ArrayList<>();
        for (int i = 0; i < loaders.size(); i++) {
            ClassLoader loader = loaders.get(i).get();
            if (loader != null) {
                alive.add("deployment " + (i + 1) + " " + loader.getName() + "@"
                        + Integer.toHexString(System.identityHashCode(loader)));
            }
        }
        return alive;
    }
}
