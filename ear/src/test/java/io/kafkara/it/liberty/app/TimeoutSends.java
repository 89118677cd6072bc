package io.kafkara.it.liberty.app;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.transaction.UserTransaction;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.tx.timeout.TimeoutRun;
import io.kafkara.it.tx.timeout.UserTransactionScenarios;

/**
 * The transaction-timeout scenarios of the WildFly suite (TransactionTimeoutIT) on Liberty's transaction manager
 * ({@link UserTransactionScenarios}), with the factory and the datasource looked up by the names of the server's
 * configuration.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class TimeoutSends {

    @Resource
    private UserTransaction transaction;

    public void sendInTheTransaction(String dataSourceName, String factoryName, TimeoutRun run) throws Exception {
        scenarios(dataSourceName).sendInTheTransaction(factory(factoryName), run);
    }

    public void sendOnAConnectionObtainedBeforeBegin(String dataSourceName, String factoryName, TimeoutRun run)
            throws Exception {
        scenarios(dataSourceName).sendOnAConnectionObtainedBeforeBegin(factory(factoryName), run);
    }

    private UserTransactionScenarios scenarios(String dataSourceName) throws NamingException {
        return new UserTransactionScenarios(transaction, (DataSource) new InitialContext().lookup(dataSourceName));
    }

    private static KafkaConnectionFactory factory(String name) throws NamingException {
        return (KafkaConnectionFactory) new InitialContext().lookup(name);
    }
}
