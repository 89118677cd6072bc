package io.kafkara.spi;

import java.util.Arrays;
import java.util.Objects;

import javax.security.auth.Subject;

import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;

/**
 * The identity a pooled connection was created for: the container's {@link PasswordCredential} for this
 * connection definition, if it passed one (container-managed sign-on), or none. The pool may hand a connection
 * only to a request with the same identity. Kafka itself authenticates the engine through the definition's
 * SASL/TLS settings; this identity never reaches the broker.
 */
final class ConnectionCredential {

    static final ConnectionCredential NONE = new ConnectionCredential(null, new char[0]);

    private final String userName;
    private final char[] password;

    private ConnectionCredential(String userName, char[] password) {
        this.userName = userName;
        this.password = password;
    }

    /** The credential the container put in the subject for {@code factory}, or {@link #NONE}. */
    static ConnectionCredential of(Subject subject, ManagedConnectionFactory factory) {
        if (subject == null) {
            return NONE;
        }
        for (PasswordCredential candidate : subject.getPrivateCredentials(PasswordCredential.class)) {
            if (factory.equals(candidate.getManagedConnectionFactory())) {
                return new ConnectionCredential(candidate.getUserName(), candidate.getPassword().clone());
            }
        }
        return NONE;
    }

    @Override
    public boolean equals(Object other) {
        // Identity first: without container-managed sign-on every connection has the one NONE, and the pool compares
        // credentials at every getConnection().
        return this == other || other instanceof ConnectionCredential that
                && Objects.equals(userName, that.userName) && Arrays.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(userName);
    }

    @Override
    public String toString() {
        return userName == null ? "no credential" : "user " + userName + " (password hidden)";
    }
}
