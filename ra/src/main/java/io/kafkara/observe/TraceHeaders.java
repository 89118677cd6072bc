package io.kafkara.observe;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts the calling thread's trace context into a record's headers, so that consumers continue the trace: the W3C
 * {@code traceparent} (and {@code tracestate}) of the current span, where the server makes the OpenTelemetry API
 * visible; nothing where it does not, when the thread has no valid span, or when the application set
 * {@code traceparent} itself.
 */
public interface TraceHeaders {

    /** The header that carries the trace context (W3C Trace Context). */
    String TRACEPARENT = "traceparent";

    TraceHeaders NONE = record -> { };

    void addTo(ProducerRecord<?, ?> record);

    /** The trace headers this server allows: OpenTelemetry's when its API is visible, else none. */
    static TraceHeaders ofThisServer() {
        TraceHeaders headers = OptionalApi.OPENTELEMETRY.instance("io.kafkara.observe.OpenTelemetryTraceHeaders",
                TraceHeaders.class);
        return headers == null ? NONE : headers;
    }
}
