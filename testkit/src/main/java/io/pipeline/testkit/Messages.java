package io.pipeline.testkit;

import io.pipeline.broker.OutboundMessage;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import java.util.Map;

/** Events as a producer publishes them, for tests that publish through the broker API. */
public final class Messages {
  private Messages() {}

  /**
   * The encoded event, with its id, type and entity key as message id, routing and partition key.
   */
  public static OutboundMessage of(Event e) {
    return new OutboundMessage(
        e.id().toString(), e.type().wireName(), e.key(), EventCodec.encode(e), Map.of());
  }
}
