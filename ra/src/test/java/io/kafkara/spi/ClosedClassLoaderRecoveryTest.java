package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashSet;
import java.util.Set;

import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

import org.junit.jupiter.api.Test;

/**
 * The transaction manager's recovery asking a definition whose deployment's class loader was closed, as WildFly does
 * with the recovery registration of a failed deployment: the adapter's classes come from a class loader of their
 * own that is closed before the call, so every class not loaded yet is gone, as in the server.
 */
class ClosedClassLoaderRecoveryTest {

    /** Loads the adapter's own classes itself (the rest from the test's loader), and nothing once closed. */
    private static final class AdapterLoader extends URLClassLoader {
        AdapterLoader() {
            super(new URL[] {KafkaManagedConnectionFactory.class.getProtectionDomain().getCodeSource().getLocation()},
                    ClosedClassLoaderRecoveryTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.kafkara.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("io/kafkara/") ? findResource(name) : super.getResource(name);
        }
    }

    @Test
    void aDefinitionOverAClosedClassLoaderTellsRecoveryItHasNoBranchAndLoadsNothing() throws Exception {
        Object definition;
        try (AdapterLoader loader = new AdapterLoader()) {
            definition = loader.loadClass(KafkaManagedConnectionFactory.class.getName()).getConstructor().newInstance();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ManagedConnectionFactory closed = (ManagedConnectionFactory) definition;

        ManagedConnection connection = closed.createManagedConnection(new Subject(), null);

        assertEquals("io.kafkara.spi.OrphanedRecoveryConnection", connection.getClass().getName());
        Set<ManagedConnection> checked = new HashSet<>(Set.of(connection));
        assertEquals(Set.of(), ((ValidatingManagedConnectionFactory) closed).getInvalidConnections(checked),
                "recovery keeps the connection it has");
        XAResource resource = connection.getXAResource();
        assertArrayEquals(new Xid[0], resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        XAException refused = assertThrows(XAException.class, () -> resource.commit(null, false));
        assertEquals(XAException.XAER_RMFAIL, refused.errorCode);
        assertEquals(connection, closed.createManagedConnection(new Subject(), null), "the same answer every scan");
    }
}
