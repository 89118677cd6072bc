package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import io.kafkara.config.TransactionSettings;

/** Which transaction.timeout.ms a definition's engines get, and the activation warning about a short one. */
class XaTransactionTimeoutTest {

    private final List<String> asked = new ArrayList<>();

    private static TransactionSettings settings(String level) {
        return new TransactionSettings(level, "orders", "node1", 20, "branches", "auto",
                TransactionSettings.DEFAULT_COMMIT_TIMEOUT_MS);
    }

    private long brokerAnswers(long value) {
        asked.add("describeConfigs");
        return value;
    }

    @Test
    void anXaDefinitionWithoutASettingTakesTheBrokersMaximumAskedOnce() {
        XaTransactionTimeout timeout = new XaTransactionTimeout(settings("XATransaction"), null,
                () -> brokerAnswers(900_000));

        assertEquals(900_000, timeout.milliseconds());
        assertEquals(900_000, timeout.milliseconds());
        assertEquals(List.of("describeConfigs"), asked, "asked once, at the first transactional use");
    }

    @Test
    void brokersThatCannotBeAskedGiveKafkasDocumentedDefaultOfTheMaximum() {
        XaTransactionTimeout timeout = new XaTransactionTimeout(settings("XATransaction"), null, () -> {
            throw new TimeoutException("no broker answered");
        });

        assertEquals(XaTransactionTimeout.BROKER_MAX_DEFAULT_MS, timeout.milliseconds());
    }

    @Test
    void whatTheAdministratorSetWinsAndALocalDefinitionKeepsKafkasProducerDefault() {
        assertEquals(120_000, new XaTransactionTimeout(settings("XATransaction"), 120_000,
                () -> brokerAnswers(900_000)).milliseconds());
        assertEquals(60_000, new XaTransactionTimeout(settings("LocalTransaction"), null,
                () -> brokerAnswers(900_000)).milliseconds());
        assertEquals(List.of(), asked, "nobody asks the brokers then");
    }

    @Test
    void aConfiguredXaTimeoutShorterThanNarayanasDefaultWindowIsWarnedAboutWithTheNumbers() {
        String warning = XaTransactionTimeout.shortTimeoutWarning(settings("XATransaction"), 60_000).orElseThrow();

        assertTrue(warning.startsWith("KAFKARA-TX-035: XA definition transactionalIdPrefix=orders sets "
                + "transactionTimeoutMs=60000 ms, less than 430000 ms"), warning);
        assertTrue(warning.contains("Remove the setting"), warning);
        assertTrue(XaTransactionTimeout.shortTimeoutWarning(settings("XATransaction"), 430_000).isEmpty());
        assertTrue(XaTransactionTimeout.shortTimeoutWarning(settings("XATransaction"), null).isEmpty());
        assertTrue(XaTransactionTimeout.shortTimeoutWarning(settings("LocalTransaction"), 60_000).isEmpty());
    }
}
