package io.kafkara.it.lifecycle;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;

/**
 * Reads a heap dump the probe had the server write after a run's last undeploy, and asserts that every strong path
 * from a GC root to each of the run's adapter loaders still in it passes through one of the {@link ServerHolders}:
 * a walk that does not follow those references reaches none of them. Fails with the path to each one it reaches.
 */
final class ServerHeldLoaders {

    private static final String TRACKER = TrackedAdapterLoaders.class.getName();

    private ServerHeldLoaders() {
    }

    static void assertOnlyServerHolders(File dump, String run) throws Exception {
        long started = System.nanoTime();
        Heap heap = HeapFactory.createHeap(dump);
        List<Instance> loaders = runLoaders(heap, run);
        long indexedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        StrongReferenceWalk walk = new StrongReferenceWalk(heap, Set.of(), new ServerHolders());
        List<String> leaks = new ArrayList<>();
        for (Instance loader : loaders) {
            if (!walk.reached(loader.getInstanceId())) {
                // Held by a soft reference at most: a full GC under memory pressure frees it.
                System.out.println("[lifecycle] not strongly reachable: " + HeapText.describe(heap, loader));
                continue;
            }
            String path = HeapText.describe(heap, loader) + ":\n      "
                    + String.join("\n      ", walk.pathTo(loader.getInstanceId()));
            if (walk.reachedOnlyThroughCut(loader.getInstanceId())) {
                System.out.println("[lifecycle] kept only by the server's holders, e.g. " + path);
            } else {
                leaks.add(path);
            }
        }
        System.out.printf("[lifecycle] heap dump of %d MB: read in %d ms, %d of the run's loaders in it, walked "
                + "in %d ms in total: %d reachable without the server's holders%n", dump.length() >> 20, indexedMs,
                loaders.size(), Duration.ofNanos(System.nanoTime() - started).toMillis(), leaks.size());
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " of the undeployed adapters' class loaders of " + run
                    + " are kept by something else than the server's holders (src/docs/lifecycle.md); paths from "
                    + "the GC roots (heap dump " + dump.getAbsolutePath() + "):\n  " + String.join("\n  ", leaks));
        }
    }

    /**
     * The loaders the probe marked for this dump ({@link TrackedAdapterLoaders#markForHeapDump}) that are in it (one
     * may have gone between the probe's reading and the dump).
     */
    private static List<Instance> runLoaders(Heap heap, String run) {
        List<Instance> loaders = new ArrayList<>();
        int marked = 0;
        for (JavaClass tracker : heap.getJavaClassesByRegExp(TRACKER.replace(".", "\\."))) {
            if (tracker.getValueOfStaticField("heapDumpRun") instanceof Instance markedRun
                    && HeapText.text(markedRun).equals(run)
                    && tracker.getValueOfStaticField("heapDumpSubjects") instanceof ObjectArrayInstance subjects) {
                marked += subjects.getLength();
                for (Object reference : subjects.getValues()) {
                    if (reference instanceof Instance weak && weak.getValueOfField("referent") instanceof Instance l) {
                        loaders.add(l);
                    }
                }
            }
        }
        if (marked == 0) {
            throw new IllegalStateException("The heap dump holds no adapter loaders marked by the probe: cannot tell "
                    + "what keeps them");
        }
        return loaders;
    }
}
