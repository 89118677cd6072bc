package io.kafkara.tx;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.kafkara.engine.kafka.ContextClassLoader;

/**
 * The JMX face of one definition's {@link InDoubtBranches}. JMX calls arrive on the server's management threads,
 * whose context class loader cannot see Kafka's classes (Kafka's config classes load their defaults through it), so
 * each call runs with the adapter's. Failures leave as JDK exceptions carrying a message only, secrets scrubbed: a
 * remote JMX client has none of Kafka's classes to read a Kafka exception with.
 */
final class InDoubtBranchesAdministration implements InDoubtBranchesMXBean {

    private final InDoubtBranches branches;
    private final UnaryOperator<String> hideSecrets;

    InDoubtBranchesAdministration(InDoubtBranches branches, UnaryOperator<String> hideSecrets) {
        this.branches = branches;
        this.hideSecrets = hideSecrets;
    }

    @Override
    public List<InDoubtBranchInfo> getBranches() {
        return call(() -> branches.listWithOtherNodes().stream().map(InDoubtBranchInfo::new).toList());
    }

    @Override
    public String[] getBranchSummaries() {
        return call(() -> branches.listWithOtherNodes().stream().map(InDoubtBranch::summary).toArray(String[]::new));
    }

    @Override
    public int getBranchCount() {
        return call(() -> branches.list().size());
    }

    @Override
    public long getOldestBranchAgeMs() {
        return call(() -> branches.list().stream().mapToLong(InDoubtBranch::ageMs).max().orElse(0));
    }

    @Override
    public long getTransactionTimeoutMs() {
        return branches.transactionTimeoutMs();
    }

    @Override
    public String commit(String xid) {
        return call(() -> branches.commit(xid));
    }

    @Override
    public String rollback(String xid) {
        return call(() -> branches.rollback(xid));
    }

    private <T> T call(Supplier<T> work) {
        try {
            return ContextClassLoader.with(InDoubtBranchesAdministration.class.getClassLoader(), work::get);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(hideSecrets.apply(e.getMessage()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(hideSecrets.apply(e.getMessage()));
        } catch (RuntimeException e) {
            throw new IllegalStateException(hideSecrets.apply(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }
}
