package io.kafkara.it.lifecycle;

import java.io.File;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;

/**
 * Explains a failed class-loader bound of the lifecycle tests: for every class loader of the adapter's entry class
 * in a heap dump, prints a shortest chain of strong references from a GC root; then walks again without the roots
 * found so far, so that a second holder behind the first one shows too. Not a test; run it on the dump the failure
 * names (a 100 MB dump takes about a minute per round):
 *
 * <pre>
 * java -cp ear/target/test-classes:$(cat ear/target/test-classpath.txt) io.kafkara.it.lifecycle.LoaderRootPaths \
 *     DUMP.hprof [CLASS (default io.kafkara.spi.KafkaResourceAdapter)] [ROUNDS (default 1)]
 * </pre>
 */
public final class LoaderRootPaths {

    private LoaderRootPaths() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("Usage: LoaderRootPaths DUMP.hprof [CLASS] [ROUNDS]");
        }
        Heap heap = HeapFactory.createHeap(new File(args[0]));
        String className = args.length > 1 ? args[1] : InspectServlet.ADAPTER_CLASS;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Set<Long> loaders = new LinkedHashSet<>();
        for (JavaClass copy : heap.getJavaClassesByRegExp(className.replace(".", "\\.").replace("$", "\\$"))) {
            if (copy.getClassLoader() != null) {
                loaders.add(copy.getClassLoader().getInstanceId());
            }
        }
        System.out.println(loaders.size() + " class loaders hold a copy of " + className);
        Set<String> skippedRoots = new HashSet<>();
        for (int round = 1; round <= rounds && !loaders.isEmpty(); round++) {
            System.out.println("Round " + round + (skippedRoots.isEmpty() ? "" : ", without the roots " + skippedRoots));
            StrongReferenceWalk walk = new StrongReferenceWalk(heap, skippedRoots);
            for (long loader : loaders) {
                Instance instance = heap.getInstanceByID(loader);
                if (!walk.reached(loader)) {
                    System.out.println("  " + HeapText.describe(heap, instance) + ": not strongly reachable");
                    continue;
                }
                System.out.println("  " + HeapText.describe(heap, instance) + ":");
                walk.pathTo(loader).forEach(step -> System.out.println("      " + step));
                skippedRoots.add(walk.rootOf(loader));
            }
        }
    }
}
