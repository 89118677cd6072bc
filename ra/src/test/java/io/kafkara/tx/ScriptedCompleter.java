package io.kafkara.tx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.apache.kafka.common.protocol.Errors;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.DoorAccess;
import io.kafkara.engine.kafka.EndTxnAnswer;

/**
 * The coordinator as recovery sees it: answers EndTxn with the scripted errors in order (or throws a scripted
 * exception) and records "end(transactionalId,commit|abort)". An EndTxn nobody scripted fails the test.
 */
final class ScriptedCompleter implements BranchCompleter {

    private final Deque<Object> answers = new ArrayDeque<>();
    private final Deque<CoordinatorTransaction> descriptions = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();

    ScriptedCompleter answer(Errors error) {
        answers.add(error);
        return this;
    }

    ScriptedCompleter fail(RuntimeException e) {
        answers.add(e);
        return this;
    }

    /** What the next DescribeTransactions shows. */
    ScriptedCompleter shows(CoordinatorTransaction state) {
        descriptions.add(state);
        return this;
    }

    String calls() {
        return String.join(" ", calls);
    }

    @Override
    public EndTxnAnswer end(PreparedBranch branch, boolean commit) {
        calls.add("end(" + branch.transactionalId() + "," + (commit ? "commit" : "abort") + ")");
        Object next = answers.poll();
        if (next == null) {
            throw new AssertionError("unexpected EndTxn for " + branch + ": no answer scripted");
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return DoorAccess.endTxnAnswer((Errors) next);
    }

    @Override
    public CoordinatorTransaction describe(PreparedBranch branch) {
        calls.add("describe(" + branch.transactionalId() + ")");
        CoordinatorTransaction next = descriptions.poll();
        if (next == null) {
            throw new AssertionError("unexpected DescribeTransactions for " + branch + ": nothing scripted");
        }
        return next;
    }
}
