package io.kafkara.tx;

import java.util.Optional;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.config.TransactionSettings;

/**
 * The Kafka transaction.timeout.ms of a definition's transactional engines. What the administrator set wins. A
 * LocalTransaction definition otherwise keeps Kafka's default (60 s: a longer JTA transaction is aborted by the
 * broker and then rolled back, consistently). An XA definition otherwise takes the brokers' transaction.max.timeout.ms,
 * the longest a stock broker allows: there a prepared branch lives only that long, and Kafka's 60 s default is
 * shorter than Narayana's default recovery period (120 s), so a crash between prepare and commit would usually end
 * in a heuristic rollback. Asked once, at the definition's first transactional use; when the brokers cannot be asked,
 * Kafka's documented default of transaction.max.timeout.ms (15 min) is used, and the log says so.
 */
public final class XaTransactionTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(XaTransactionTimeout.class);

    /**
     * Kafka's default of the brokers' transaction.max.timeout.ms: a broker setting, so kafka-clients has no
     * declaration of it to read.
     */
    public static final int BROKER_MAX_DEFAULT_MS = 900_000;
    /**
     * Narayana's default periodic recovery period plus its backoff (120 s + 10 s) plus the default JTA timeout
     * (300 s): a prepared branch that must outlive a crash, a restart and the first recovery scan needs this much.
     */
    public static final long NARAYANA_DEFAULT_WINDOW_MS = 130_000 + 300_000;

    private final TransactionSettings transactions;
    private final Integer configuredMs;
    private final LongSupplier brokerLimit;
    private Integer decidedMs;

    /**
     * @param configuredMs what the definition sets, or null
     * @param brokerLimit  reads the brokers' transaction.max.timeout.ms (throws when it cannot)
     */
    XaTransactionTimeout(TransactionSettings transactions, Integer configuredMs, LongSupplier brokerLimit) {
        this.transactions = transactions;
        this.configuredMs = configuredMs;
        this.brokerLimit = brokerLimit;
    }

    /** The engines' transaction.timeout.ms; the first call of an XA definition without a setting asks the brokers. */
    synchronized int milliseconds() {
        if (decidedMs == null) {
            decidedMs = decide();
        }
        return decidedMs;
    }

    private int decide() {
        if (configuredMs != null) {
            return configuredMs;
        }
        if (!transactions.xa()) {
            return (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        }
        try {
            long limit = brokerLimit.getAsLong();
            int chosen = (int) Math.min(Integer.MAX_VALUE, limit);
            LOG.info("KAFKARA-TX-032: XA definition {}={}: transaction.timeout.ms={} ms, the brokers' "
                    + "transaction.max.timeout.ms (set transactionTimeoutMs to choose another)",
                    TransactionSettings.ID_PREFIX, transactions.idPrefix(), chosen);
            return chosen;
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-TX-033: XA definition {}={}: the brokers' transaction.max.timeout.ms could not be read "
                    + "({}); using Kafka's default of it, {} ms, as transaction.timeout.ms. If the brokers allow less, "
                    + "transactional engines fail to start (INVALID_TRANSACTION_TIMEOUT): then set transactionTimeoutMs",
                    TransactionSettings.ID_PREFIX, transactions.idPrefix(), e.toString(), BROKER_MAX_DEFAULT_MS);
            return BROKER_MAX_DEFAULT_MS;
        }
    }

    /**
     * The warning an XA definition deserves at activation when its configured transaction.timeout.ms cannot outlive a
     * crash, a restart and Narayana's first recovery scan at Narayana's defaults; empty otherwise.
     */
    public static Optional<String> shortTimeoutWarning(TransactionSettings transactions, Integer configuredMs) {
        if (!transactions.xa() || configuredMs == null || configuredMs >= NARAYANA_DEFAULT_WINDOW_MS) {
            return Optional.empty();
        }
        return Optional.of("KAFKARA-TX-035: XA definition " + TransactionSettings.ID_PREFIX + "="
                + transactions.idPrefix() + " sets transactionTimeoutMs=" + configuredMs + " ms, less than "
                + NARAYANA_DEFAULT_WINDOW_MS + " ms (Narayana's default recovery period 120 s + backoff 10 s + the "
                + "default JTA timeout 300 s). On a stock broker a branch prepared before a crash is then aborted by the "
                + "broker before recovery commits it (a heuristic rollback). Remove the setting (the adapter then uses "
                + "the brokers' transaction.max.timeout.ms), or set it to at least " + NARAYANA_DEFAULT_WINDOW_MS
                + " ms and the brokers' transaction.max.timeout.ms at least as high; it does not matter in two-phase "
                + "commit mode");
    }
}
