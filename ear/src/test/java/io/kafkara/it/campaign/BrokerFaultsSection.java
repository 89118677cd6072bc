package io.kafkara.it.campaign;

import java.util.List;

import io.kafkara.it.check.CheckReport;
import io.kafkara.it.faults.BrokerScenarioResult;

/** The broker fault scenarios' part of src/docs/reliability.md, from the results BrokerFailoverIT left. */
final class BrokerFaultsSection {

    private BrokerFaultsSection() {
    }

    static void append(StringBuilder md, List<BrokerScenarioResult> brokers) {
        md.append("## Broker faults through the adapter\n\n");
        md.append("""
                `BrokerFailoverIT` in WildFly 39, on 3 real brokers (replication 3, `min.insync.replicas=2`, \
                idempotence and acks at Kafka's defaults, a request timeout of 6 s): EJB callers keep sending \
                through the adapter while the leader of a partition is killed with SIGKILL and restarted, then every \
                broker is restarted one after another, and (records) a leader is frozen with SIGSTOP for 10 s and \
                let go. A fault counts once it took effect: the partition's leader changed while callers were still \
                answered, and every replica was back in sync before the next one. Transactions roll back every \
                third; each caller has its own keys. The checker then reads every partition with read_committed \
                and read_uncommitted consumers.

                """);
        if (brokers.isEmpty()) {
            md.append("**No scenario result**: BrokerFailoverIT did not run or failed before its check; see the "
                    + "build log.\n\n");
            return;
        }
        md.append("| scenario | faults | sends (failed, reported to the caller) | committed | rolled back | wall time |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (BrokerScenarioResult b : brokers) {
            md.append("| ").append(b.scenario()).append(" | ").append(b.faults()).append(" | ").append(b.sends())
                    .append(" (").append(b.failures()).append(") | ").append(b.committed()).append(" | ")
                    .append(b.rolledBack()).append(" | ").append(b.wallTime().toMinutes()).append(" min ")
                    .append(b.wallTime().toSecondsPart()).append(" s |\n");
        }
        md.append("\n").append(CheckReport.markdownHeader()).append('\n');
        brokers.forEach(b -> md.append(b.findingsRow()).append('\n'));
        md.append('\n');
        brokers.forEach(b -> md.append("- ").append(b.scenario()).append(": ").append(b.summary()).append('\n'));
        if (brokers.size() < 3) {
            md.append("\n**Scenarios missing**: ").append(3 - brokers.size()).append(" of the 3 did not reach their "
                    + "check; see the build log.\n");
        }
        md.append('\n');
    }
}
