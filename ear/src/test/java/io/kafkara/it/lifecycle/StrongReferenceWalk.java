package io.kafkara.it.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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

    /**
     * References the walk follows last: first it reaches all it can without them, then it goes on through them, so
     * that {@link #reachedOnlyThroughCut} tells whether anything else keeps a target.
     */
    interface Cut {

        Cut NONE = new Cut() {
        };

        default boolean cutsRoot(GCRoot root) {
            return false;
        }

        /** {@code owner} declares the field: the object's class or a superclass, or the class itself if static. */
        default boolean cutsField(JavaClass owner, boolean isStatic, String field) {
            return false;
        }
    }

    private final Heap heap;
    private final Cut cut;
    private final Map<Long, Long> reachedFrom = new HashMap<>(1 << 22);
    private final Map<Long, GCRoot> roots = new HashMap<>();
    /** Objects reached only once the walk went through the cut (few: what the cut references alone keep). */
    private final Set<Long> onlyThroughCut = new HashSet<>();

    /** Walks from every GC root whose {@link HeapText#rootKey(GCRoot)} is not in {@code skippedRoots}. */
    StrongReferenceWalk(Heap heap, Set<String> skippedRoots) {
        this(heap, skippedRoots, Cut.NONE);
    }

    /** As {@link #StrongReferenceWalk(Heap, Set)}, following the roots and fields the cut names last. */
    StrongReferenceWalk(Heap heap, Set<String> skippedRoots, Cut cut) {
        this.heap = heap;
        this.cut = cut;
        List<GCRoot> cutRoots = new ArrayList<>();
        List<long[]> cutEdges = new ArrayList<>();
        ArrayDeque<Long> pending = new ArrayDeque<>();
        for (GCRoot root : heap.getGCRoots()) {
            if (root.getInstance() != null && !skippedRoots.contains(HeapText.rootKey(root))) {
                if (cut.cutsRoot(root)) {
                    cutRoots.add(root);
                } else {
                    reachRoot(root, pending);
                }
            }
        }
        walk(pending, cutEdges);
        // Through the cut: whatever is reached now is kept by nothing else.
        for (GCRoot root : cutRoots) {
            reachRoot(root, pending);
        }
        for (long[] edge : cutEdges) {
            reach(edge[0], edge[1], pending);
        }
        walk(pending, null);
    }

    private void reachRoot(GCRoot root, ArrayDeque<Long> pending) {
        long id = root.getInstance().getInstanceId();
        if (reachedFrom.putIfAbsent(id, ROOT) == null) {
            roots.put(id, root);
            pending.add(id);
            if (cut.cutsRoot(root)) {
                onlyThroughCut.add(id);
            }
        }
    }

    /** Breadth first; a cut reference is put aside in {@code cutEdges}, or followed when that is null. */
    private void walk(ArrayDeque<Long> pending, List<long[]> cutEdges) {
        boolean throughCut = cutEdges == null;
        while (!pending.isEmpty()) {
            long from = pending.poll();
            // Only how each object was first reached is kept; pathTo finds the field again (cheaper than a map).
            followReferencesOf(from, (to, via, isCut) -> {
                if (to == null) {
                    return;
                }
                if (isCut && !throughCut) {
                    cutEdges.add(new long[] {from, to.getInstanceId()});
                } else if (reach(from, to.getInstanceId(), pending) && throughCut) {
                    onlyThroughCut.add(to.getInstanceId());
                }
            });
        }
    }

    private boolean reach(long from, long to, ArrayDeque<Long> pending) {
        if (reachedFrom.putIfAbsent(to, from) == null) {
            pending.add(to);
            return true;
        }
        return false;
    }

    boolean reached(long id) {
        return reachedFrom.containsKey(id);
    }

    /** Reached, but only through a reference of the cut: nothing else keeps it. */
    boolean reachedOnlyThroughCut(long id) {
        return onlyThroughCut.contains(id);
    }

    /** The GC root first, then every object down to the target, each with the field that led to it. */
    List<String> pathTo(long target) {
        List<String> steps = new ArrayList<>();
        long current = target;
        while (reachedFrom.get(current) != ROOT) {
            long from = reachedFrom.get(current);
            steps.add(HeapText.describe(heap, heap.getInstanceByID(current)) + "  <- " + via(from, current));
            current = from;
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

    /** The first reference from one object to another that the walk follows, as the field or index it is in. */
    private String via(long from, long to) {
        StringBuilder found = new StringBuilder();
        followReferencesOf(from, (target, via, isCut) -> {
            if (found.isEmpty() && target != null && target.getInstanceId() == to) {
                found.append(via);
            }
        });
        return found.toString();
    }

    /** What one object refers to, each target with the field or index it is in, and whether the cut names it. */
    private interface References {
        void to(Instance target, String via, boolean isCut);
    }

    private void followReferencesOf(long id, References references) {
        Instance instance = heap.getInstanceByID(id);
        if (instance == null) {
            return;
        }
        JavaClass mirrored = heap.getJavaClassByID(id);
        if (mirrored != null) {
            references.to(mirrored.getClassLoader(), "loader of the class", false);
            if (mirrored.getSuperClass() != null) {
                references.to(heap.getInstanceByID(mirrored.getSuperClass().getJavaClassId()), "superclass", false);
            }
            for (FieldValue value : mirrored.getStaticFieldValues()) {
                if (value instanceof ObjectFieldValue reference) {
                    references.to(reference.getInstance(), "static " + value.getField().getName(),
                            cut.cutsField(mirrored, true, value.getField().getName()));
                }
            }
            return;
        }
        references.to(heap.getInstanceByID(instance.getJavaClass().getJavaClassId()), "class", false);
        if (instance instanceof ObjectArrayInstance array) {
            List<?> elements = array.getValues();
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i) instanceof Instance element) {
                    references.to(element, "[" + i + "]", false);
                }
            }
            return;
        }
        boolean reference = isReference(instance.getJavaClass());
        for (FieldValue value : instance.getFieldValues()) {
            if (value instanceof ObjectFieldValue field
                    && !(reference && value.getField().getName().equals("referent"))) {
                references.to(field.getInstance(), value.getField().getName(),
                        cut.cutsField(value.getField().getDeclaringClass(), false, value.getField().getName()));
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
}
