package io.kafkara.it.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The store work that needs no keytool process: reading a certificate out of a store, writing a truststore, and
 * installing a CA-signed certificate with its chain next to the key it certifies. Plain {@link KeyStore} calls, so
 * only key generation and signing cost a JVM start.
 */
final class Pkcs12Stores {

    private Pkcs12Stores() {
    }

    static X509Certificate certificate(Path store, String password, String alias) {
        try {
            return (X509Certificate) load(store, password).getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read certificate " + alias + " from " + store, e);
        }
    }

    /** A store of one trusted certificate and no key: what a client or broker names as its truststore. */
    static void writeTruststore(Path store, String password, String alias, X509Certificate trusted) {
        try {
            KeyStore truststore = KeyStore.getInstance("PKCS12");
            truststore.load(null, null);
            truststore.setCertificateEntry(alias, trusted);
            save(truststore, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot write truststore " + store, e);
        }
    }

    /**
     * Replaces the self-signed certificate of {@code alias} in {@code store} by {@code signedFile} (PEM, from keytool
     * -gencert) followed by the CA's certificate, after checking the CA really signed it.
     */
    static void installSigned(Path store, String password, String alias, Path signedFile, X509Certificate ca) {
        try (InputStream in = Files.newInputStream(signedFile)) {
            X509Certificate signed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            signed.verify(ca.getPublicKey());
            KeyStore keystore = load(store, password);
            Key key = keystore.getKey(alias, password.toCharArray());
            keystore.setKeyEntry(alias, (PrivateKey) key, password.toCharArray(), new Certificate[] {signed, ca});
            save(keystore, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot install the signed certificate " + signedFile + " in " + store, e);
        }
    }

    private static KeyStore load(Path store, String password) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(in, password.toCharArray());
            return keystore;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + store, e);
        }
    }

    private static void save(KeyStore keystore, Path store, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(store)) {
            keystore.store(out, password.toCharArray());
        }
    }
}
