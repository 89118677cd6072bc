package io.kafkara.it.lifecycle;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The client application of the lifecycle tests: publishes one record (key and value = the id) through the
 * connection factory bound at {@code jndi} and answers 200 only once Kafka acknowledged it.
 *
 * <p>It never links against the adapter's classes (it reaches them by reflection through the looked-up factory's
 * class loader), so it has no deployment dependency on the adapter: it stays deployed while the adapter is
 * undeployed and redeployed, and it keeps no reference to an old adapter after a request ends.
 */
@WebServlet("/publish")
public class PublishServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long ACK_WAIT_SECONDS = 30;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        try {
            String written = publish(request.getParameter("jndi"), request.getParameter("topic"), id);
            response.setContentType("text/plain");
            response.getWriter().print("acknowledged " + written);
        } catch (NamingException e) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "not bound: " + e);
        } catch (InvocationTargetException e) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "refused: " + e.getCause());
        } catch (ExecutionException e) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "failed: " + e.getCause());
        } catch (TimeoutException e) {
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no acknowledgement within "
                    + ACK_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted");
        } catch (Exception e) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "probe failure: " + e);
        }
    }

    /** A plain-text answer (an error page would hide the reason from the client's summary). */
    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.getWriter().print(reason);
    }

    private static String publish(String jndi, String topic, String id) throws Exception {
        Object factory = new InitialContext().lookup(jndi);
        ClassLoader adapter = factory.getClass().getClassLoader();
        TrackedAdapterLoaders.track(topic, adapter);
        Class<?> factoryApi = Class.forName("io.kafkara.api.KafkaConnectionFactory", false, adapter);
        Class<?> connectionApi = Class.forName("io.kafkara.api.KafkaConnection", false, adapter);
        Class<?> recordType = Class.forName("org.apache.kafka.clients.producer.ProducerRecord", false, adapter);
        Object record = recordType.getConstructor(String.class, Object.class, Object.class).newInstance(topic, id, id);
        try (AutoCloseable connection = (AutoCloseable) factoryApi.getMethod("getConnection").invoke(factory)) {
            Future<?> ack = (Future<?>) connectionApi.getMethod("send", recordType).invoke(connection, record);
            return String.valueOf(ack.get(ACK_WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }
}
