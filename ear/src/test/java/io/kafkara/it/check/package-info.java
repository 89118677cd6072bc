/**
 * The checker of the fault scenarios: the scenario records into a {@link io.kafkara.it.check.History} what its
 * callers sent and were told, {@link io.kafkara.it.check.KafkaReader} reads what Kafka holds into an
 * {@link io.kafkara.it.check.Observation}, and {@link io.kafkara.it.check.Checker} counts each
 * {@link io.kafkara.it.check.Finding} (Jepsen's anomaly names, and the in-doubt outcomes apart) into a
 * {@link io.kafkara.it.check.CheckReport}. Only {@code KafkaReader} touches Kafka; the rest is plain data, tested
 * without a broker.
 *
 * <pre>{@code
 * History history = new History();                       // shared by the scenario's callers
 * // ... callers run, each recording its own keys in send order:
 * history.acknowledged(key, value);                      // outside a transaction
 * history.transaction("caller-2/txn-17", records, Outcome.UNKNOWN, true);   // with a database row "caller-2/txn-17"
 * // ... faults end, callers stop; then:
 * Observation observation = new KafkaReader(bootstrapServers)
 *         .read(List.of(topic), transactionalIdPrefix, Duration.ofSeconds(60))
 *         .withCommittedRows(rowIdsFromTheDatabase);
 * CheckReport report = Checker.check(history, observation);
 * log(report.markdownRow("XA, 4 callers, broker kills"));
 * report.assertNone();
 * }</pre>
 */
package io.kafkara.it.check;
