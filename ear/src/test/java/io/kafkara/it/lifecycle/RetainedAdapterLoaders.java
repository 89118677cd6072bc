package io.kafkara.it.lifecycle;

import java.io.File;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.JavaFrameGCRoot;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.ObjectFieldValue;

/**
 * Counts, in a heap dump of the server, the class loaders of adapter deployments that are still strongly reachable,
 * leaving out one kind of GC root: the stack of an idle JBoss Threads pool thread. Such a thread keeps the last task
 * it ran in a dead local of its parked {@code EnhancedQueueExecutor.runThreadBody} frame until it runs another; after
 * an undeploy that task is the sender loop's Work (WildFly's WorkWrapper holds the Work and its listener) or the
 * adapter deployment's asynchronous stop. Found with jhsdb revptrs and this walker on WildFly 39; the adapter cannot
 * avoid it (it lets go of the engine's memory when its Work ends). Anything else that keeps a loader is a leak.
 */
final class RetainedAdapterLoaders {

    private static final String IDLE_POOL_FRAME = "org.jboss.threads.EnhancedQueueExecutor$PoolThreadNode";

    private final Heap heap;

    private RetainedAdapterLoaders(File dump) throws IOException {
        this.heap = HeapFactory.createHeap(dump);
    }

    /** The number of distinct class loaders of {@code adapterClass} reachable other than through idle pool stacks. */
    static int count(File dump, String adapterClass) throws IOException {
        return new RetainedAdapterLoaders(dump).reachableLoadersOf(adapterClass);
    }

    /** The number of copies of the class in the dump, whatever keeps them. */
    static int copies(File dump, String adapterClass) throws IOException {
        return new RetainedAdapterLoaders(dump).loadersOf(adapterClass).size();
    }

    private Set<Long> loadersOf(String className) {
        Set<Long> loaders = new HashSet<>();
        for (Object found : heap.getJavaClassesByRegExp(className.replace(".", "\\.").replace("$", "\\$"))) {
            Instance loader = ((JavaClass) found).getClassLoader();
            if (loader != null) {
                loaders.add(loader.getInstanceId());
            }
        }
        return loaders;
    }

    private int reachableLoadersOf(String className) {
        Set<Long> targets = loadersOf(className);
        if (targets.isEmpty()) {
            return 0;
        }
        Set<Long> visited = new HashSet<>();
        Set<Long> visitedClasses = new HashSet<>();
        Deque<Instance> pending = new ArrayDeque<>();
        for (Object root : heap.getGCRoots()) {
            GCRoot gcRoot = (GCRoot) root;
            if (!isIdlePoolStack(gcRoot) && gcRoot.getInstance() != null) {
                pending.add(gcRoot.getInstance());
            }
        }
        int reached = 0;
        while (!pending.isEmpty()) {
            Instance instance = pending.poll();
            if (!visited.add(instance.getInstanceId())) {
                continue;
            }
            if (targets.contains(instance.getInstanceId())) {
                reached++;
            }
            follow(instance.getJavaClass(), visitedClasses, pending);
            if (instance instanceof ObjectArrayInstance array) {
                for (Object element : array.getValues()) {
                    if (element instanceof Instance value) {
                        pending.add(value);
                    }
                }
            } else {
                addReferences(instance.getFieldValues(), pending, isReference(instance.getJavaClass()));
            }
            JavaClass mirrored = heap.getJavaClassByID(instance.getInstanceId());
            if (mirrored != null) {
                follow(mirrored, visitedClasses, pending);
            }
        }
        return reached;
    }

    /** A class keeps its loader, its statics and its superclass. */
    private void follow(JavaClass type, Set<Long> visitedClasses, Deque<Instance> pending) {
        for (JavaClass current = type; current != null && visitedClasses.add(current.getJavaClassId());
             current = current.getSuperClass()) {
            if (current.getClassLoader() != null) {
                pending.add(current.getClassLoader());
            }
            addReferences(current.getStaticFieldValues(), pending, false);
        }
    }

    /** Strong references only: the referent of a weak, soft or phantom reference (or a finalizer) keeps nothing. */
    private static void addReferences(List<?> values, Deque<Instance> pending, boolean skipReferent) {
        for (Object value : values) {
            if (value instanceof ObjectFieldValue reference && reference.getInstance() != null
                    && !(skipReferent && reference.getField().getName().equals("referent"))) {
                pending.add(reference.getInstance());
            }
        }
    }

    private static boolean isReference(JavaClass type) {
        for (JavaClass current = type; current != null; current = current.getSuperClass()) {
            if (current.getName().equals("java.lang.ref.Reference")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdlePoolStack(GCRoot root) {
        if (!(root instanceof JavaFrameGCRoot frame)) {
            return false;
        }
        StackTraceElement[] stack = frame.getThreadGCRoot().getStackTrace();
        return stack != null && Arrays.stream(stack).limit(4)
                .anyMatch(element -> element.getClassName().equals(IDLE_POOL_FRAME)
                        && element.getMethodName().equals("park"));
    }
}
