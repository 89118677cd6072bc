package io.kafkara.it.liberty;

import java.io.File;
import java.nio.file.Path;


import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.liberty.app.ProbeEar;

/**
 * What the Liberty tests deploy and how the server is configured, as an operator writes it: the {@link ProbeEar},
 * and a server.xml with the adapter's connection factories
 * ({@code kafka/plain}, {@code kafka/local}, {@code kafka/xa}, and {@code kafka/bad} with acks=2), a PostgreSQL XA
 * datasource {@code jdbc/orders}, and SLF4J as a library of the application.
 */
final class LibertyApplication {

    static final String NAME = "kafkara-liberty";
    static final String BRANCH_JOURNAL = "liberty-branches";
    private static final String ADAPTER_PROPERTIES = "properties." + NAME + ".kafka-ra";

    private final File ear;
    private final String bootstrapServers;
    private final LocalPostgres database;

    private LibertyApplication(File ear, String bootstrapServers, LocalPostgres database) {
        this.ear = ear;
        this.bootstrapServers = bootstrapServers;
        this.database = database;
    }

    /** Writes the EAR beside the server's runtime and returns the configuration that deploys it. */
    static LibertyApplication export(Path wlp, String bootstrapServers, LocalPostgres database) {
        File ear = new File(wlp.getParent().toFile(), NAME + ".ear");
        ProbeEar.export(NAME, ear);
        return new LibertyApplication(ear, bootstrapServers, database);
    }

    /**
     * The server's configuration; without {@code deployed}, the application is removed. {@code more} is added as it
     * is (for example a transaction element).
     */
    String serverXml(boolean deployed, String more) {
        String serializers = "keySerializer=\"org.apache.kafka.common.serialization.StringSerializer\" "
                + "valueSerializer=\"org.apache.kafka.common.serialization.StringSerializer\" bootstrapServers=\""
                + bootstrapServers + "\"";
        // Liberty gives applications no SLF4J, which Kafka's classes and the adapter log through: a library of the
        // API and its java.util.logging provider sends both to messages.log.
        String application = deployed ? "<enterpriseApplication id=\"" + NAME + "\" name=\"" + NAME
                + "\" location=\"" + ear.getAbsolutePath() + "\"><classloader commonLibraryRef=\"slf4j\"/>"
                + "</enterpriseApplication>" : "";
        return """
                <server>
                  <featureManager>
                    <feature>connectors-2.1</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>servlet-6.0</feature>
                    <feature>cdi-4.0</feature>
                    <feature>jdbc-4.3</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="${http.port}" httpsPort="-1"/>
                  <applicationManager autoExpand="true"/>
                  <library id="slf4j">
                    <fileset dir="${wlp.install.dir}/../../server-lib/slf4j" includes="*.jar"/>
                  </library>
                  %s
                  %s
                  <library id="postgresql">
                    <fileset dir="${wlp.install.dir}/../../server-lib/jdbc" includes="*.jar"/>
                  </library>
                  <dataSource id="orders" jndiName="jdbc/orders" type="javax.sql.XADataSource">
                    <jdbcDriver libraryRef="postgresql"/>
                    <properties.postgresql serverName="127.0.0.1" portNumber="%d" databaseName="%s" user="%s"
                        password="%s"/>
                  </dataSource>
                  <connectionFactory id="plain" jndiName="kafka/plain">
                    <%s %s clientIdPrefix="liberty-plain"/>
                  </connectionFactory>
                  <connectionFactory id="local" jndiName="kafka/local">
                    <%s %s clientIdPrefix="liberty-local" transactionSupportLevel="LocalTransaction"
                        transactionalIdPrefix="liberty-local" transactionalIdNode="liberty1"/>
                  </connectionFactory>
                  <connectionFactory id="xa" jndiName="kafka/xa">
                    <%s %s clientIdPrefix="liberty-xa" transactionSupportLevel="XATransaction"
                        transactionalIdPrefix="liberty-xa" transactionalIdNode="liberty1"
                        branchJournalTopic="%s"/>
                  </connectionFactory>
                  <connectionFactory id="bad" jndiName="kafka/bad">
                    <%s %s clientIdPrefix="liberty-bad" acks="2"/>
                  </connectionFactory>
                </server>
                """.formatted(application, more, database.port(), LocalPostgres.DATABASE, database.user(),
                database.password(), ADAPTER_PROPERTIES, serializers, ADAPTER_PROPERTIES, serializers,
                ADAPTER_PROPERTIES, serializers, BRANCH_JOURNAL, ADAPTER_PROPERTIES, serializers);
    }
}
