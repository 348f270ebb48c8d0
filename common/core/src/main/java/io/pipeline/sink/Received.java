package io.pipeline.sink;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;

/**
 * A decoded event and where it came from.
 *
 * @param event the validated event
 * @param source the broker it was consumed from; null on the direct path (ingest applied it to the
 *     sinks itself, no broker)
 * @param origin broker coordinates for logs ({@code topic-partition@offset}, {@code queue#tag})
 * @param redelivered the broker flagged it as delivered before
 */
public record Received(Event event, BrokerKind source, String origin, boolean redelivered) {}
