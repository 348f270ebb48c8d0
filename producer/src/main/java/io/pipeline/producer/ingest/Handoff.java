package io.pipeline.producer.ingest;

import io.pipeline.event.Event;
import java.util.List;

/**
 * Where a request's valid events go, and its answer: {@link FanOut} publishes them to the brokers
 * (the broker paths), {@link DirectWrite} applies them to the sinks itself (the direct path, no
 * broker). Either answers the exchange exactly once.
 */
interface Handoff extends AutoCloseable {
  /** Answers {@code x} with what became of {@code events}, now or later, on any thread. */
  void hand(Exchange x, List<Event> events);

  /** After the server stopped: what it holds is released. */
  @Override
  void close();
}
