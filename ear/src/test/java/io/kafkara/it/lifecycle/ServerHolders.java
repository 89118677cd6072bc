package io.kafkara.it.lifecycle;

import java.util.Map;
import java.util.Set;

import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.JavaFrameGCRoot;

/**
 * The references owned by the server that heap-dump walks found keeping an undeployed adapter's class loader
 * (src/docs/lifecycle.md), as a cut of a {@link StrongReferenceWalk}: a loader that the walk still reaches without
 * them is kept by something else, i.e. leaked.
 */
final class ServerHolders implements StrongReferenceWalk.Cut {

    /** A JBoss Threads pool thread keeps the first task it ran in a local of this frame for its whole life. */
    private static final String THREAD_BODY = "org.jboss.threads.EnhancedQueueExecutor$ThreadBody";
    /**
     * H2 keeps the stack of the server's first H2 connection in the backtraces of the exceptions these classes create
     * when they initialize: the class and its static field.
     */
    private static final Map<String, Set<String>> H2_STATIC_EXCEPTIONS = Map.of(
            "org.h2.message.TraceObject", Set.of("SQL_OOME"),
            "org.h2.message.DbException", Set.of("OOME", "SQL_OOME"));
    /**
     * Narayana keeps the XAResources of a definition's last recovery scan in this module for a while: in
     * {@code recoveryHelpersXAResource} until its next pass, in {@code _xidScans} until they are stale.
     */
    private static final String XA_RECOVERY_MODULE = "com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule";

    @Override
    public boolean cutsRoot(GCRoot root) {
        if (root instanceof JavaFrameGCRoot frame) {
            StackTraceElement method = HeapText.frameOf(frame);
            return method != null && method.getClassName().equals(THREAD_BODY) && method.getMethodName().equals("run");
        }
        return false;
    }

    @Override
    public boolean cutsField(JavaClass owner, boolean isStatic, String field) {
        return isStatic ? H2_STATIC_EXCEPTIONS.getOrDefault(owner.getName(), Set.of()).contains(field)
                : owner.getName().equals(XA_RECOVERY_MODULE);
    }
}
