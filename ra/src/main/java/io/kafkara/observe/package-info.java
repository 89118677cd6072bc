/**
 * What operators watch: each connection definition's producer metrics, its readiness, and the trace context that
 * records carry. Every server API here is optional and found at run time (Micrometer, MicroProfile Health,
 * OpenTelemetry): the classes that name those APIs are loaded only after their API was found visible, so the adapter
 * deploys and runs where they are absent. Nothing here starts a thread or bundles a library.
 */
package io.kafkara.observe;
