#!/bin/sh
# The sample EAR on Payara Server: what WildFly reads from the EAR itself (kafka-ra.rar/META-INF/ironjacamar.xml,
# kafka-sample-xa-ds.xml), created in the domain with asadmin, and the EAR deployed (in the order explained below). The sample's EJBs reach these
# resources through their references, bound by kafka-ejb-sample.jar/META-INF/glassfish-ejb-jar.xml.
#
#   KAFKA_BOOTSTRAP_SERVERS=broker1:9092,broker2:9092 ./kafka-sample.sh kafka-ra-sample.ear
#
# ASADMIN is the asadmin command with its options (default: asadmin), KAFKA_SAMPLE_NODE the node name in the
# transactional ids of this domain's definitions (default: payara1; each server needs its own). Payara gives
# applications no SLF4J, which Kafka and the adapter log through: add it once (asadmin add-library --type common
# slf4j-api.jar slf4j-jdk14.jar, then restart the domain).
set -eu

ear=${1:?the path of kafka-ra-sample.ear}
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:?the Kafka brokers, host:port,...}
node=${KAFKA_SAMPLE_NODE:-payara1}
asadmin=${ASADMIN:-asadmin}
# The adapter is a module of the application: Payara names it <application>#<module>.
adapter='kafka-ra-sample#kafka-ra'
# asadmin separates properties with ':', so the colons of the broker addresses are escaped.
common="bootstrapServers=$(printf '%s' "$bootstrap" | sed 's/:/\\:/g')"
common="$common:keySerializer=org.apache.kafka.common.serialization.StringSerializer"
common="$common:valueSerializer=org.apache.kafka.common.serialization.StringSerializer"

# The order table, in-memory as on WildFly, through the H2 driver Payara ships.
$asadmin create-jdbc-connection-pool --datasourceclassname org.h2.jdbcx.JdbcDataSource \
    --restype javax.sql.XADataSource \
    --property 'URL=jdbc\:h2\:mem\:kafka-sample-orders;DB_CLOSE_DELAY\=-1:user=sa:password=sa' KafkaSampleOrders
$asadmin create-jdbc-resource --connectionpoolid KafkaSampleOrders jdbc/KafkaSampleOrders

# The connection pools name the adapter inside the EAR, which exists only once the EAR is deployed; Payara checks at
# deployment that every resource the application references exists, so that check is turned off. The sample's
# startup bean needs only the database.
$asadmin create-system-properties deployment.resource.validation=false
$asadmin deploy --name kafka-ra-sample "$ear"

$asadmin create-connector-connection-pool --raname "$adapter" \
    --connectiondefinition io.kafkara.api.KafkaConnectionFactory --transactionsupport NoTransaction \
    --property "$common" KafkaSample
$asadmin create-connector-resource --poolname KafkaSample kafka/Sample

$asadmin create-connector-connection-pool --raname "$adapter" \
    --connectiondefinition io.kafkara.api.KafkaConnectionFactory --transactionsupport LocalTransaction \
    --property "$common:clientIdPrefix=sample-local:transactionSupportLevel=LocalTransaction:transactionalIdPrefix=sample-local:transactionalIdNode=$node" \
    KafkaSampleLocal
$asadmin create-connector-resource --poolname KafkaSampleLocal kafka/SampleLocal

$asadmin create-connector-connection-pool --raname "$adapter" \
    --connectiondefinition io.kafkara.api.KafkaConnectionFactory --transactionsupport XATransaction \
    --property "$common:clientIdPrefix=sample-xa:transactionSupportLevel=XATransaction:transactionalIdPrefix=sample-xa:transactionalIdNode=$node:branchJournalTopic=kafka-ra-branches" \
    KafkaSampleXA
$asadmin create-connector-resource --poolname KafkaSampleXA kafka/SampleXA

# In-doubt branches are recovered at start only when Payara is told to.
$asadmin set configs.config.server-config.transaction-service.automatic-recovery=true

