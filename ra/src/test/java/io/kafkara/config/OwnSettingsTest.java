package io.kafkara.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own settings are read from their declaration: the declared type and default, the declared rule's
 * words in the error, and every bad value of a definition in one error.
 */
class OwnSettingsTest {

    private final SettingValues definition = new SettingValues(Level.CONNECTION_DEFINITION);

    @Test
    void unsetSettingsReadAsTheirDeclaredDefaults() throws Exception {
        TransactionSettings transactions = TransactionSettings.of(definition);
        HandleSettings handles = HandleSettings.of(definition);

        assertEquals(TransactionSettings.NO_TRANSACTION, transactions.support());
        assertEquals(OwnSettings.defaultOf(TransactionSettings.DEFINITION, TransactionSettings.POOL_SIZE),
                transactions.poolSize());
        assertEquals(TransactionSettings.DEFAULT_COMMIT_TIMEOUT_MS, transactions.commitTimeoutMs());
        assertEquals(TransactionSettings.TWO_PHASE_AUTO, transactions.twoPhaseCommitMode());
        assertFalse(handles.leakStackTraces());
        assertTrue(handles.traceContext());
    }

    @Test
    void valuesAreParsedToTheDeclaredTypeTrimmedAndFlagsInAnyCase() throws Exception {
        definition.set(TransactionSettings.SUPPORT, " LocalTransaction ");
        definition.set(TransactionSettings.ID_PREFIX, " orders ");
        definition.set(TransactionSettings.POOL_SIZE, " 7");
        definition.set(TransactionSettings.COMMIT_TIMEOUT, "5000000000");
        definition.set(HandleSettings.LEAK_STACK_TRACES, "TRUE");

        TransactionSettings transactions = TransactionSettings.of(definition);

        assertEquals(TransactionSettings.LOCAL_TRANSACTION, transactions.support());
        assertEquals("orders", transactions.idPrefix());
        assertEquals(7, transactions.poolSize());
        assertEquals(5_000_000_000L, transactions.commitTimeoutMs(), "a long, as declared");
        assertTrue(HandleSettings.of(definition).leakStackTraces());
    }

    @Test
    void everyBadValueIsNamedInOneErrorInTheWordsOfItsRule() {
        definition.set(TransactionSettings.SUPPORT, "XA");
        definition.set(TransactionSettings.POOL_SIZE, "many");
        definition.set(TransactionSettings.TWO_PHASE_COMMIT_MODE, "sometimes");
        definition.set(TransactionSettings.COMMIT_TIMEOUT, "0");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> TransactionSettings.of(definition));

        String message = refused.getMessage();
        for (String problem : List.of(
                "transactionSupportLevel=XA is not one of NoTransaction, LocalTransaction, XATransaction",
                "transactionalIdPoolSize=many must be a whole number of at least 1 (at least the connection pool's "
                        + "max-pool-size)",
                "twoPhaseCommitMode=sometimes is not one of auto, required, off",
                "commitTimeoutMs=0 must be a whole number of milliseconds of at least 1")) {
            assertTrue(message.contains(problem), problem + " in: " + message);
        }
    }

    @Test
    void aPoolSizeBeyondAnIntIsRefusedNotWrapped() {
        definition.set(TransactionSettings.POOL_SIZE, "3000000000");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> TransactionSettings.of(definition));

        assertTrue(refused.getMessage().contains("transactionalIdPoolSize=3000000000 must be a whole number"),
                refused.getMessage());
    }

    @Test
    void bothHandleFlagsAreCheckedAtOnce() {
        definition.set(HandleSettings.LEAK_STACK_TRACES, "yes");
        definition.set(HandleSettings.TRACE_CONTEXT, "on");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> HandleSettings.of(definition));

        assertTrue(refused.getMessage().contains("leakStackTraces=yes must be true or false"), refused.getMessage());
        assertTrue(refused.getMessage().contains("traceContext=on must be true or false"), refused.getMessage());
    }

    @Test
    void theJavaBeanPropertiesOfEachLevelIncludeEveryDeclaredOwnSetting() {
        assertTrue(SettingsTable.propertyNamesAt(Level.CONNECTION_DEFINITION).containsAll(
                OwnSettings.CONNECTION_DEFINITION.names()));
        assertTrue(SettingsTable.propertyNamesAt(Level.RESOURCE_ADAPTER).containsAll(
                OwnSettings.RESOURCE_ADAPTER.names()));
        for (ConfigDef declared : List.of(TransactionSettings.DEFINITION, HandleSettings.DEFINITION)) {
            assertTrue(OwnSettings.CONNECTION_DEFINITION.names().containsAll(declared.names()));
        }
    }

    @Test
    void theReferenceShowsEachOwnSettingsDeclaredTypeDefaultAndRule() {
        String reference = ConfigurationReference.render();

        assertTrue(reference.contains("| `transactionalIdPoolSize` | (adapter) | connection definition | int | no | "),
                "declared type");
        assertTrue(reference.contains("Default: `20`. Valid values: a whole number of at least 1"), "default, rule");
        assertTrue(reference.contains("| `shutdownTimeoutMs` | (adapter) | resource adapter | long | no | "));
    }
}
