package io.kafkara.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The trace context records carry where the OpenTelemetry API is visible (here: on the test class path): the
 * current span's traceparent, nothing without a valid span, and never over the application's own.
 */
class TraceHeadersTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final TraceHeaders headers = TraceHeaders.ofThisServer();

    @Test
    void withTheApiVisibleTheServersTraceHeadersAreOpenTelemetrys() {
        assertInstanceOf(OpenTelemetryTraceHeaders.class, headers);
    }

    @Test
    void aRecordSentInASpanCarriesItsTraceparent() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");

        try (Scope scope = Context.current().with(span()).makeCurrent()) {
            headers.addTo(record);
        }

        assertEquals("00-" + TRACE_ID + "-" + SPAN_ID + "-01", text(record.headers().lastHeader("traceparent")));
    }

    @Test
    void aRecordSentWithoutASpanCarriesNone() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");

        headers.addTo(record);

        assertNull(record.headers().lastHeader("traceparent"));
    }

    @Test
    void theApplicationsOwnTraceparentIsKept() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");
        record.headers().add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01"
                .getBytes(StandardCharsets.UTF_8));

        try (Scope scope = Context.current().with(span()).makeCurrent()) {
            headers.addTo(record);
        }

        assertEquals(1, record.headers().toArray().length);
        assertEquals("00-11111111111111111111111111111111-2222222222222222-01",
                text(record.headers().lastHeader("traceparent")));
    }

    private static Span span() {
        return Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
