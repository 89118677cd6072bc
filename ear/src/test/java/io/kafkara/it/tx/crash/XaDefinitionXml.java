package io.kafkara.it.tx.crash;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ironjacamar.xml connection definition of one XA definition of the crash tests: what every such definition has
 * (the broker of {@code ${kafka.bootstrap.servers}}, string serializers, the prefix as client id prefix, the branch
 * journal, recovery credentials, an XA pool), plus the config properties a test sets on top.
 */
final class XaDefinitionXml {

    private final String name;
    private final String prefix;
    private final String journalTopic;
    private final int maxPoolSize;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String extraXml = "";

    /** {@code name}: JNDI {@code java:/kafka/<name>}, pool {@code Kafka<name>}. */
    XaDefinitionXml(String name, String prefix, String journalTopic, int maxPoolSize) {
        this.name = name;
        this.prefix = prefix;
        this.journalTopic = journalTopic;
        this.maxPoolSize = maxPoolSize;
    }

    /** A config property on top of the common ones; the value may be an expression such as {@code ${p:5}}. */
    XaDefinitionXml property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Config property elements written as they are (a mode a subclass chooses). */
    XaDefinitionXml withXml(String configPropertiesXml) {
        this.extraXml = configPropertiesXml;
        return this;
    }

    String xml() {
        String extra = properties.entrySet().stream()
                .map(entry -> "  <config-property name=\"" + entry.getKey() + "\">" + entry.getValue()
                        + "</config-property>\n")
                .collect(Collectors.joining());
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="java:/kafka/%1$s" pool-name="Kafka%1$s">
                  <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="clientIdPrefix">%2$s</config-property>
                  <config-property name="transactionSupportLevel">XATransaction</config-property>
                  <config-property name="transactionalIdPrefix">%2$s</config-property>
                  <config-property name="branchJournalTopic">%3$s</config-property>
                %4$s  %5$s
                  <xa-pool><max-pool-size>%6$d</max-pool-size></xa-pool>
                  <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
                </connection-definition>
                """.formatted(name, prefix, journalTopic, extra, extraXml, maxPoolSize);
    }
}
