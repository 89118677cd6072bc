package io.kafkara.observe;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The trace context of the thread's current span in W3C form, through OpenTelemetry's own propagator rather than the
 * global instance (a server's SDK may never set it, and the no-op global injects nothing). Loaded only once the
 * OpenTelemetry API was found visible.
 */
final class OpenTelemetryTraceHeaders implements TraceHeaders {

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    @Override
    public void addTo(ProducerRecord<?, ?> record) {
        Headers headers = record.headers();
        if (headers.lastHeader(TRACEPARENT) != null) {
            return;
        }
        Context context = Context.current();
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return;
        }
        try {
            W3CTraceContextPropagator.getInstance().inject(context, headers, SETTER);
        } catch (IllegalStateException readOnly) {
            // A record sent before: Kafka made its headers read-only, and it keeps the context it carried then.
        }
    }
}
