package io.kafkara.it.tx.timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The order row of the sample's table (see the sample's OrderService), written in the caller's transaction. */
public final class OrderRow {

    private OrderRow() {
    }

    public static void insert(DataSource orders, String orderId) {
        try (Connection db = orders.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO ORDERS (ID, LINES) VALUES (?, ?)")) {
            insert.setString(1, orderId);
            insert.setInt(2, 0);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not insert order " + orderId + ": " + e.getMessage(), e);
        }
    }
}
