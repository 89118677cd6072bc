package io.kafkara.it.portable;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.kafkara.sample.OrderRejectedException;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.ShipmentEvents;

/**
 * Calls the sample's own beans from a WAR added to the sample EAR, so a test on any server drives what the sample
 * does with the resources that server's configuration defined:
 * {@code order?via=LOCAL|XA&topic=&order=&lines=a,b} (a blank line rejects the order), {@code exists?order=},
 * {@code shipment?topic=&id=} (the CDI way).
 */
@WebServlet(urlPatterns = {"/order", "/exists", "/shipment"})
public class SampleProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private OrderService orders;

    @Inject
    private ShipmentEvents shipments;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        String answer = switch (request.getServletPath()) {
            case "/order" -> placeOrder(request);
            case "/exists" -> Boolean.toString(orders.orderExists(request.getParameter("order")));
            default -> "partition " + shipments.publish(request.getParameter("topic"), request.getParameter("id"),
                    "shipped").partition();
        };
        response.getWriter().print(answer);
    }

    private String placeOrder(HttpServletRequest request) {
        List<String> lines = Arrays.asList(request.getParameter("lines").split(",", -1));
        try {
            orders.placeOrder(OrderService.Via.valueOf(request.getParameter("via")), request.getParameter("topic"),
                    request.getParameter("order"), lines);
            return "placed";
        } catch (OrderRejectedException e) {
            return "rejected " + e.getMessage();
        }
    }
}
