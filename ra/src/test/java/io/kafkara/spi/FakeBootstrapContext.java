package io.kafkara.spi;

import java.util.Timer;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** The container's bootstrap context: hands out its WorkManager; anything else throws. */
final class FakeBootstrapContext implements BootstrapContext {

    private final WorkManager workManager;

    FakeBootstrapContext(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public WorkManager getWorkManager() {
        return workManager;
    }

    @Override
    public XATerminator getXATerminator() {
        throw new UnsupportedOperationException("FakeBootstrapContext has no XATerminator");
    }

    @Override
    public Timer createTimer() {
        throw new UnsupportedOperationException("FakeBootstrapContext creates no timers");
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        throw new UnsupportedOperationException("FakeBootstrapContext answers no work-context questions");
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        throw new UnsupportedOperationException("FakeBootstrapContext has no transaction synchronization registry");
    }
}
