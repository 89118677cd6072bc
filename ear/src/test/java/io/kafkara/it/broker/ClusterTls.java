package io.kafkara.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TLS with client certificates on a cluster's client listener: a certificate authority made for this cluster
 * alone signs the broker's key (valid for 127.0.0.1 and localhost) and one client's key. Every store is a PKCS12
 * file under {@code <cluster>/tls/} with a random password; the CA's own key never leaves its store.
 *
 * <pre>{@code
 * KafkaCluster kafka = KafkaCluster.builder().tls().start();
 * ClusterTls tls = kafka.tls();
 * producerConfig.putAll(kafka.clientProperties());   // security.protocol=SSL and the client's stores
 * tls.truststore();                                  // trusts the cluster's CA
 * tls.untrustedTruststore();                         // trusts another CA only: the handshake must fail
 * }</pre>
 */
public final class ClusterTls {

    private static final String CA = "ca";
    private static final String BROKER = "broker";
    private static final String CLIENT = "client";
    private static final String STRANGER = "stranger";
    /** Clients check the broker's address against its certificate (ssl.endpoint.identification.algorithm=https). */
    private static final String BROKER_NAMES = "SAN=ip:127.0.0.1,dns:localhost";
    private static final String KEY_ALGORITHM = "EC";
    /** A test cluster lives minutes; two days cover a clock skew and a slow run. */
    private static final String VALIDITY_DAYS = "2";

    private final Path directory;
    private final Map<String, String> passwords = new LinkedHashMap<>();

    private ClusterTls(Path directory) {
        this.directory = directory;
        SecureRandom random = new SecureRandom();
        for (String store : List.of(CA, BROKER, CLIENT, "truststore", STRANGER, "untrusted-truststore")) {
            byte[] bytes = new byte[18];
            random.nextBytes(bytes);
            // Distinctive, so a test finding it anywhere knows it is this password.
            passwords.put(store, "tls-" + store + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
    }

    /** The stores' places and passwords in {@code directory}; {@link #generate()} makes the files. */
    static ClusterTls plan(Path directory) {
        return new ClusterTls(directory);
    }

    /**
     * Makes the CA and all stores: keytool generates the four key pairs at once, then the two certificate
     * requests, then the CA signs both; the truststores and the chains are written in this JVM.
     */
    void generate() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
        Keytool keytool = new Keytool(directory, List.copyOf(passwords.values()));
        keytool.step(List.of(
                newKeyPair(CA, "CN=kafkara test CA", "bc:c"),
                newKeyPair(BROKER, "CN=127.0.0.1", BROKER_NAMES),
                newKeyPair(CLIENT, "CN=kafkara test client", null),
                newKeyPair(STRANGER, "CN=a CA that signed nothing of this cluster", "bc:c")));
        keytool.step(List.of(certificateRequest(BROKER), certificateRequest(CLIENT)));
        keytool.step(List.of(signByCa(BROKER, BROKER_NAMES), signByCa(CLIENT, null)));

        X509Certificate ca = Pkcs12Stores.certificate(store(CA), passwords.get(CA), CA);
        Pkcs12Stores.writeTruststore(truststore(), truststorePassword(), CA, ca);
        Pkcs12Stores.writeTruststore(untrustedTruststore(), untrustedTruststorePassword(), STRANGER,
                Pkcs12Stores.certificate(store(STRANGER), passwords.get(STRANGER), STRANGER));
        for (String name : List.of(BROKER, CLIENT)) {
            Pkcs12Stores.installSigned(store(name), passwords.get(name), name, directory.resolve(name + "-signed.crt"), ca);
        }
    }

    /** Trusts the cluster's CA: what a client (and the broker, for client certificates) needs. */
    public Path truststore() {
        return store("truststore");
    }

    public String truststorePassword() {
        return passwords.get("truststore");
    }

    /** The client's key, signed by the cluster's CA, which the broker requires ({@code ssl.client.auth=required}). */
    public Path clientKeystore() {
        return store(CLIENT);
    }

    /** Also the password of the client's key: a PKCS12 store has one password for both. */
    public String clientKeystorePassword() {
        return passwords.get(CLIENT);
    }

    /** Trusts only a CA that signed nothing of this cluster: a client using it must fail the TLS handshake. */
    public Path untrustedTruststore() {
        return store("untrusted-truststore");
    }

    public String untrustedTruststorePassword() {
        return passwords.get("untrusted-truststore");
    }

    /** Every password of this cluster's stores, for tests that prove none of them leaks. */
    public List<String> passwords() {
        return List.copyOf(passwords.values());
    }

    /** The client listener (named PLAINTEXT by the launcher) with the broker's key and client authentication. */
    Map<String, String> brokerSettings() {
        String prefix = "listener.name.plaintext.";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(prefix + "ssl.keystore.type", "PKCS12");
        settings.put(prefix + "ssl.keystore.location", store(BROKER).toString());
        settings.put(prefix + "ssl.keystore.password", passwords.get(BROKER));
        settings.put(prefix + "ssl.key.password", passwords.get(BROKER));
        settings.put(prefix + "ssl.truststore.type", "PKCS12");
        settings.put(prefix + "ssl.truststore.location", truststore().toString());
        settings.put(prefix + "ssl.truststore.password", truststorePassword());
        settings.put(prefix + "ssl.client.auth", "required");
        return settings;
    }

    /** What a client needs besides bootstrap.servers: the CA to trust and its own key. */
    Map<String, String> clientSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SSL");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", truststore().toString());
        settings.put("ssl.truststore.password", truststorePassword());
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", clientKeystore().toString());
        settings.put("ssl.keystore.password", clientKeystorePassword());
        settings.put("ssl.key.password", clientKeystorePassword());
        return Map.copyOf(settings);
    }

    private Path store(String name) {
        return directory.resolve(name + ".p12");
    }

    private List<String> newKeyPair(String name, String subject, String extension) {
        List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", subject,
                "-keyalg", KEY_ALGORITHM, "-validity", VALIDITY_DAYS));
        if (extension != null) {
            arguments.addAll(List.of("-ext", extension));
        }
        arguments.addAll(storeOptions(name));
        return arguments;
    }

    private List<String> certificateRequest(String name) {
        return with(storeOptions(name), "-certreq", "-alias", name, "-file", name + ".csr");
    }

    /** keytool -gencert does not copy extensions from the request: the broker's addresses are given again. */
    private List<String> signByCa(String name, String extension) {
        List<String> arguments = with(storeOptions(CA), "-gencert", "-rfc", "-alias", CA, "-validity", VALIDITY_DAYS,
                "-infile", name + ".csr", "-outfile", name + "-signed.crt");
        if (extension != null) {
            arguments.addAll(List.of("-ext", extension));
        }
        return arguments;
    }

    private List<String> storeOptions(String name) {
        return List.of("-keystore", store(name).toString(), "-storetype", "PKCS12", "-storepass", passwords.get(name));
    }

    private static List<String> with(List<String> storeOptions, String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(storeOptions);
        return all;
    }
}
