package io.kafkara.it.lifecycle;

import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.JavaFrameGCRoot;
import org.netbeans.lib.profiler.heap.PrimitiveArrayInstance;
import org.netbeans.lib.profiler.heap.ThreadObjectGCRoot;

/** Readable names for the objects and GC roots of a heap dump: class, id, and a thread's or a loader's name. */
final class HeapText {

    private HeapText() {
    }

    /**
     * A GC root as a reader needs it: a stack slot names its thread and frame (a thread keeps what its frames hold),
     * other roots their kind and object.
     */
    static String rootKey(GCRoot root) {
        if (root instanceof JavaFrameGCRoot frame) {
            StackTraceElement where = frameOf(frame);
            return "stack of thread '" + nameOf(frame.getThreadGCRoot().getInstance()) + "' at "
                    + (where == null ? "?" : where.toString());
        }
        if (root instanceof ThreadObjectGCRoot thread) {
            return "thread '" + nameOf(thread.getInstance()) + "'";
        }
        return root.getKind() + " " + Long.toHexString(root.getInstance().getInstanceId());
    }

    /** The method whose frame holds the root's object, or null when the dump does not say. */
    static StackTraceElement frameOf(JavaFrameGCRoot frame) {
        StackTraceElement[] stack = frame.getThreadGCRoot().getStackTrace();
        int index = frame.getFrameNumber();
        return stack != null && index >= 0 && index < stack.length ? stack[index] : null;
    }

    static String describe(Heap heap, Instance instance) {
        JavaClass mirrored = heap.getJavaClassByID(instance.getInstanceId());
        if (mirrored != null) {
            return "class " + mirrored.getName();
        }
        String type = instance.getJavaClass().getName();
        String name = hasNameField(instance.getJavaClass()) ? " '" + nameOf(instance) + "'" : "";
        return type + "@" + Long.toHexString(instance.getInstanceId()) + name;
    }

    /** Threads and class loaders carry a {@code name}: the thread's, the module's. */
    private static boolean hasNameField(JavaClass type) {
        for (JavaClass current = type; current != null; current = current.getSuperClass()) {
            if (current.getName().equals("java.lang.Thread") || current.getName().equals("java.lang.ClassLoader")) {
                return true;
            }
        }
        return false;
    }

    private static String nameOf(Instance owner) {
        return owner != null && owner.getValueOfField("name") instanceof Instance name ? text(name) : "?";
    }

    /** A java.lang.String's characters (compact Latin-1 strings; other characters come out as their low byte). */
    static String text(Instance string) {
        if (!(string.getValueOfField("value") instanceof PrimitiveArrayInstance bytes)) {
            return "?";
        }
        StringBuilder text = new StringBuilder();
        for (Object value : bytes.getValues()) {
            text.append((char) (Integer.parseInt(value.toString()) & 0xff));
        }
        return text.toString();
    }
}
