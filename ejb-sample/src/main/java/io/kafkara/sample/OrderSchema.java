package io.kafkara.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * Creates the sample's order table when the application starts. It needs the database only, not Kafka: on Payara
 * the connection factories of an adapter inside the EAR can only be created once the EAR is deployed, after this
 * bean ran.
 */
@Singleton
@Startup
public class OrderSchema {

    /** The application's name of the order database, bound by each server as the connection factories are. */
    public static final String ORDERS_DATASOURCE = "java:app/jdbc/KafkaSampleOrders";

    @Resource(name = ORDERS_DATASOURCE)
    private DataSource orders;

    /** Creates the order table if missing, outside any transaction (H2 commits DDL at once). */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void create() {
        try (Connection db = orders.getConnection(); Statement ddl = db.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS ORDERS (ID VARCHAR(100) PRIMARY KEY, LINES INT)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the order table: " + e.getMessage(), e);
        }
    }
}
