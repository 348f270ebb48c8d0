package io.pipeline.producer.lane;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.PublishException;
import io.pipeline.broker.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A broker that answers each publish with what {@code answer} says, or, with {@code hold}, only
 * when the test completes it; records what it was given.
 */
public final class FakePublisher implements Publisher {
  final List<OutboundMessage> published = new CopyOnWriteArrayList<>();
  final List<Long> publishedAtNanos = new CopyOnWriteArrayList<>();
  volatile Function<OutboundMessage, PublishException> answer = m -> null;
  public volatile boolean hold;
  public final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

  @Override
  public BrokerKind kind() {
    return BrokerKind.RABBITMQ;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage m) {
    published.add(m);
    publishedAtNanos.add(System.nanoTime());
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (hold) {
      held.add(f);
      return f;
    }
    PublishException ex = answer.apply(m);
    if (ex == null) {
      f.complete(null);
    } else {
      f.completeExceptionally(ex);
    }
    return f;
  }

  @Override
  public int inFlight() {
    return held.size();
  }

  @Override
  public boolean flush(Duration timeout) {
    return true;
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public void close() {
    for (CompletableFuture<Void> f : held) {
      f.completeExceptionally(new PublishException(PublishException.Reason.CLOSED, "closed"));
    }
  }
}
