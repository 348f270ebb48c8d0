package io.pipeline.broker.rabbitmq;

import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import com.rabbitmq.stream.impl.Client;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.config.Endpoints;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink's backlog on the RabbitMQ stream: the stream's last offset less the offset stored under
 * the sink's queue name. The end is followed by a consumer attached at the last chunk that keeps
 * the highest offset it sees (RabbitMQ 3.10 cannot report a stream's end: QueryStreamInfo needs
 * 3.11); the stored offset is asked with the stream client's low-level {@code queryOffset}. The
 * stream protocol does not list a stream's consumers, so {@link #consumers} answers -1.
 */
final class RabbitStreamLag implements BacklogProbe {
  private static final Duration SETTLE = Duration.ofMillis(1_500);

  private final Endpoints endpoints;
  private final String stream;
  private final String reference;
  private final AtomicLong last = new AtomicLong(-1);
  private Environment environment;
  private com.rabbitmq.stream.Consumer tail;
  private Client client;
  private long openedAt;

  RabbitStreamLag(Endpoints endpoints, String stream, String reference) {
    this.endpoints = endpoints;
    this.stream = stream;
    this.reference = reference;
  }

  @Override
  public synchronized long backlog() {
    try {
      if (tail == null) {
        open();
      }
      long end = last.get();
      if (end < 0) {
        return System.nanoTime() - openedAt < SETTLE.toNanos() ? -1 : 0;
      }
      Client.QueryOffsetResponse r = client.queryOffset(reference, stream);
      long stored = r.isOk() ? r.getOffset() : -1;
      return Math.max(0, end - stored);
    } catch (RuntimeException ex) {
      close();
      return -1;
    }
  }

  private void open() {
    environment = RabbitStreams.environment(endpoints, "pipeline-backlog-" + reference);
    tail =
        environment.consumerBuilder().stream(stream)
            .offset(OffsetSpecification.last())
            .noTrackingStrategy()
            .messageHandler((ctx, m) -> last.accumulateAndGet(ctx.offset(), Math::max))
            .build();
    URI first = URI.create(RabbitStreams.locators(endpoints).get(0));
    String[] user = endpoints.rabbitUri().getUserInfo().split(":", 2);
    client =
        new Client(
            new Client.ClientParameters()
                .host(first.getHost())
                .port(first.getPort())
                .username(user[0])
                .password(user.length > 1 ? user[1] : "")
                .virtualHost(RabbitStreams.vhost(endpoints))
                .rpcTimeout(Duration.ofSeconds(10)));
    openedAt = System.nanoTime();
  }

  /** Unknown: the stream protocol does not list a stream's consumers. */
  @Override
  public long consumers() {
    return -1;
  }

  @Override
  public synchronized void close() {
    try {
      if (client != null) {
        client.close();
      }
      if (tail != null) {
        tail.close();
      }
      if (environment != null) {
        environment.close();
      }
    } catch (RuntimeException ex) {
      // closing a connection that is already gone
    } finally {
      client = null;
      tail = null;
      environment = null;
      last.set(-1);
    }
  }
}
