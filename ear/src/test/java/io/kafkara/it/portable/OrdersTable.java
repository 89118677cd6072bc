package io.kafkara.it.portable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.tx.timeout.OrderRow;

/** The table the probe's beans insert order rows into ({@link OrderRow}), in a PostgreSQL of the test. */
public final class OrdersTable {

    private OrdersTable() {
    }

    /** Creates the table in a fresh database. */
    public static void create(LocalPostgres database) throws SQLException {
        try (Connection db = database.connect(); Statement create = db.createStatement()) {
            create.execute("create table orders (id varchar(100) primary key, lines integer)");
        }
    }

    /** The ids of the order rows committed so far. */
    public static List<String> ids(LocalPostgres database) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection db = database.connect(); Statement query = db.createStatement();
             ResultSet found = query.executeQuery("select id from orders order by id")) {
            while (found.next()) {
                ids.add(found.getString(1));
            }
        }
        return ids;
    }
}
