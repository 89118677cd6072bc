package io.kafkara.spi;

import java.util.List;

import io.kafkara.observe.EngineRoster;
import io.kafkara.observe.ObservedDefinition;
import io.kafkara.tx.DefinitionTransactions;
import io.kafkara.tx.InDoubtBranch;
import io.kafkara.tx.InDoubtBranches;

/**
 * A connection definition as its metrics and readiness see it. Reads never start anything: before the definition's
 * first transactional use its transaction counts are 0.
 */
final class DefinitionObservation implements ObservedDefinition {

    private final KafkaManagedConnectionFactory definition;
    private final String name;
    private final EngineRoster engines = new EngineRoster();

    DefinitionObservation(KafkaManagedConnectionFactory definition, String name) {
        this.definition = definition;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EngineRoster engines() {
        return engines;
    }

    @Override
    public int transactionalEnginesInUse() {
        DefinitionTransactions transactions = definition.transactionsIfCreated();
        return transactions == null ? 0 : transactions.enginesInUse();
    }

    @Override
    public int transactionalEnginesIdle() {
        DefinitionTransactions transactions = definition.transactionsIfCreated();
        return transactions == null ? 0 : transactions.enginesIdle();
    }

    @Override
    public int inDoubtBranches() {
        return inDoubt().size();
    }

    @Override
    public long oldestInDoubtAgeMs() {
        List<InDoubtBranch> branches = inDoubt();
        return branches.isEmpty() ? -1 : branches.get(0).ageMs();
    }

    @Override
    public long journalWrites() {
        DefinitionTransactions transactions = definition.transactionsIfCreated();
        return transactions == null ? 0 : transactions.journalWrites();
    }

    /** Oldest first; none when the journal cannot be read now (the recovery scan reports that). */
    private List<InDoubtBranch> inDoubt() {
        DefinitionTransactions transactions = definition.transactionsIfCreated();
        InDoubtBranches branches = transactions == null ? null : transactions.inDoubtIfKnown();
        if (branches == null) {
            return List.of();
        }
        try {
            return branches.list();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
