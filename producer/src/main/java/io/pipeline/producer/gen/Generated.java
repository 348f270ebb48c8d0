package io.pipeline.producer.gen;

import io.pipeline.event.Event;

/**
 * One send the generator asks for.
 *
 * @param event the event, stamped with its intended send time
 * @param duplicate true when this re-sends an earlier event with the same message id
 */
public record Generated(Event event, boolean duplicate) {}
