package io.kafkara.sample;

import jakarta.ejb.ApplicationException;

/** An order the business rules refuse: the container rolls the whole transaction back, row and events. */
@ApplicationException(rollback = true)
public class OrderRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OrderRejectedException(String message) {
        super(message);
    }
}
