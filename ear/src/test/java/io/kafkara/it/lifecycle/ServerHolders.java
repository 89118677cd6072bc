package io.kafkara.it.lifecycle;

import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.JavaFrameGCRoot;

/**
 * The three references owned by the server that heap-dump walks found keeping an undeployed adapter's class loader
 * (src/docs/lifecycle.md), as a cut of a {@link StrongReferenceWalk}: a loader that the walk still reaches without
 * them is kept by something else, i.e. leaked.
 */
final class ServerHolders implements StrongReferenceWalk.Cut {

    /** A JBoss Threads pool thread keeps the first task it ran in a local of this frame for its whole life. */
    static final String THREAD_BODY = "org.jboss.threads.EnhancedQueueExecutor$ThreadBody";
    /** H2 keeps the stack of the server's first H2 connection in the backtrace of this class's static SQL_OOME. */
    static final String H2_TRACE_OBJECT = "org.h2.message.TraceObject";
    /**
     * Narayana keeps the XAResources of a definition's last recovery scan in this module for a while: in
     * {@code recoveryHelpersXAResource} until its next pass, in {@code _xidScans} until they are stale.
     */
    static final String XA_RECOVERY_MODULE = "com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule";

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
        return isStatic ? owner.getName().equals(H2_TRACE_OBJECT) && field.equals("SQL_OOME")
                : owner.getName().equals(XA_RECOVERY_MODULE);
    }
}
