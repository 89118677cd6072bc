package io.kafkara.it.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.netbeans.lib.profiler.heap.FieldValue;
import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.ObjectFieldValue;

/**
 * A breadth-first walk of a heap dump from its GC roots along strong references only, remembering for every object
 * how it was first reached, so that {@link #pathTo} gives a shortest path from a root. A class keeps its loader, its
 * superclass and its static fields; an object keeps its class. The referent of a weak, soft or phantom reference
 * (or of a finalizer) keeps nothing: a leak is what survives a full GC that clears them.
 */
final class StrongReferenceWalk {

    private static final long ROOT = -1L;

    private final Heap heap;
    private final Map<Long, Long> reachedFrom = new HashMap<>(1 << 22);
    private final Map<Long, String> reachedVia = new HashMap<>(1 << 22);
    private final Map<Long, GCRoot> roots = new HashMap<>();

    /** Walks from every GC root whose {@link HeapText#rootKey(GCRoot)} is not in {@code skippedRoots}. */
    StrongReferenceWalk(Heap heap, Set<String> skippedRoots) {
        this.heap = heap;
        ArrayDeque<Long> pending = new ArrayDeque<>();
        for (GCRoot root : heap.getGCRoots()) {
            Instance instance = root.getInstance();
            if (instance != null && !skippedRoots.contains(HeapText.rootKey(root))
                    && reachedFrom.putIfAbsent(instance.getInstanceId(), ROOT) == null) {
                roots.put(instance.getInstanceId(), root);
                pending.add(instance.getInstanceId());
            }
        }
        while (!pending.isEmpty()) {
            followReferencesOf(pending.poll(), pending);
        }
    }

    boolean reached(long id) {
        return reachedFrom.containsKey(id);
    }

    /** The GC root first, then every object down to the target, each with the field that led to it. */
    List<String> pathTo(long target) {
        List<String> steps = new ArrayList<>();
        long current = target;
        while (reachedFrom.get(current) != ROOT) {
            steps.add(HeapText.describe(heap, heap.getInstanceByID(current)) + "  <- " + reachedVia.get(current));
            current = reachedFrom.get(current);
        }
        steps.add("GC root " + HeapText.rootKey(roots.get(current)) + ": "
                + HeapText.describe(heap, heap.getInstanceByID(current)));
        Collections.reverse(steps);
        return steps;
    }

    /** The key of the GC root the path to the target starts at. */
    String rootOf(long target) {
        long current = target;
        while (reachedFrom.get(current) != ROOT) {
            current = reachedFrom.get(current);
        }
        return HeapText.rootKey(roots.get(current));
    }

    private void followReferencesOf(long id, ArrayDeque<Long> pending) {
        Instance instance = heap.getInstanceByID(id);
        if (instance == null) {
            return;
        }
        JavaClass mirrored = heap.getJavaClassByID(id);
        if (mirrored != null) {
            reach(id, mirrored.getClassLoader(), "loader of the class", pending);
            if (mirrored.getSuperClass() != null) {
                reach(id, heap.getInstanceByID(mirrored.getSuperClass().getJavaClassId()), "superclass", pending);
            }
            for (FieldValue value : mirrored.getStaticFieldValues()) {
                if (value instanceof ObjectFieldValue reference) {
                    reach(id, reference.getInstance(), "static " + value.getField().getName(), pending);
                }
            }
            return;
        }
        reach(id, heap.getInstanceByID(instance.getJavaClass().getJavaClassId()), "class", pending);
        if (instance instanceof ObjectArrayInstance array) {
            List<?> elements = array.getValues();
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i) instanceof Instance element) {
                    reach(id, element, "[" + i + "]", pending);
                }
            }
            return;
        }
        boolean reference = isReference(instance.getJavaClass());
        for (FieldValue value : instance.getFieldValues()) {
            if (value instanceof ObjectFieldValue field
                    && !(reference && value.getField().getName().equals("referent"))) {
                reach(id, field.getInstance(), value.getField().getName(), pending);
            }
        }
    }

    private void reach(long from, Instance to, String via, ArrayDeque<Long> pending) {
        if (to != null && reachedFrom.putIfAbsent(to.getInstanceId(), from) == null) {
            reachedVia.put(to.getInstanceId(), via);
            pending.add(to.getInstanceId());
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
}
