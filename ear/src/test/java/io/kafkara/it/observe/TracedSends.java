package io.kafkara.it.observe;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.opentelemetry.api.trace.Span;

/**
 * A REST resource that sends through the observed definition: {@code /send?topic=&count=} sends {@code count}
 * records keyed {@code traced} and answers the trace id of the request's span, which the server's OpenTelemetry
 * filter made current (the test compares it with the records' traceparent).
 */
@Path("/")
@RequestScoped
public class TracedSends {

    static final String FACTORY = "java:/kafka/Observed";

    /** The REST application of the probe WAR, at {@code /rest}. */
    @ApplicationPath("/rest")
    public static class RestApplication extends Application {
    }

    @GET
    @Path("send")
    @Produces("text/plain")
    public String send(@QueryParam("topic") String topic, @QueryParam("count") int count) throws NamingException {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(FACTORY);
        try (KafkaConnection connection = factory.getConnection()) {
            for (int i = 0; i < count; i++) {
                connection.send(new ProducerRecord<>(topic, "traced", "traced-" + i));
            }
            connection.flush();
        }
        return Span.current().getSpanContext().getTraceId();
    }
}
