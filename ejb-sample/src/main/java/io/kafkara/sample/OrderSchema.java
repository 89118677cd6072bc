package io.kafkara.sample;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/** Creates the sample's order table when the application starts. */
@Singleton
@Startup
public class OrderSchema {

    @EJB
    private OrderService orders;

    @PostConstruct
    void create() {
        orders.createSchema();
    }
}
