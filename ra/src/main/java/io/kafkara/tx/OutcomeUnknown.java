package io.kafkara.tx;

import java.lang.reflect.Constructor;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransactionException;

/**
 * The exception a {@code LocalTransaction.commit} throws when its outcome is unknown. JCA has no standard one: a
 * container maps every ResourceException of a local commit to "rolled back" (IronJacamar: XA_RBROLLBACK), except
 * IronJacamar's own {@code LocalResourceException}, which it maps to XAER_RMFAIL; Narayana then reports a heuristic
 * outcome instead of a rollback (HeuristicMixedException to a lone last resource's committer). So where that class
 * is visible (WildFly makes IronJacamar's API visible to every resource adapter) it is used; elsewhere a
 * LocalTransactionException carries the same message.
 */
final class OutcomeUnknown {

    private static final String IRONJACAMAR_UNKNOWN_OUTCOME =
            "org.jboss.jca.core.spi.transaction.local.LocalResourceException";

    private OutcomeUnknown() {
    }

    static ResourceException of(String message, Throwable cause) {
        try {
            Class<?> type = Class.forName(IRONJACAMAR_UNKNOWN_OUTCOME, false, OutcomeUnknown.class.getClassLoader());
            Constructor<?> constructor = type.getConstructor(String.class, Throwable.class);
            return (ResourceException) constructor.newInstance(message, cause);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            LocalTransactionException unknown = new LocalTransactionException(message);
            unknown.initCause(cause);
            return unknown;
        }
    }
}
