package io.kafkara.it.bench;

/** Runs one mode once with the workload of its suite and answers its rate in the suite's unit. */
final class BenchmarkRun {

    private final Workload records;
    private final TransactionWorkload transactions;

    BenchmarkRun(String bootstrapServers, BenchmarkSettings settings, int httpPort) {
        this.records = new Workload(bootstrapServers, settings.records(), settings.size(), httpPort);
        this.transactions = new TransactionWorkload(BaselineProducerConfig.of(bootstrapServers), settings.callers(),
                settings.recordsPerTransaction(), settings.size(), settings.transactionRun(), httpPort);
    }

    double run(Mode mode, String topic) throws Exception {
        return switch (mode.suite()) {
            case RECORDS -> records.run(mode, topic);
            case TRANSACTIONS -> transactions.run(mode, topic);
        };
    }
}
