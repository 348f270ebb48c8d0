package io.pipeline.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.PublishException;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ publisher against a real broker when a channel closes under it and when copies of
 * one message id are in flight together. Each test uses its own exchange and queues.
 */
class RabbitPublisherIT {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
  private static Endpoints endpoints;

  @BeforeAll
  static void services() {
    endpoints = TestServices.shared();
  }

  private static OutboundMessage message(String id, String routingKey) {
    return new OutboundMessage(id, routingKey, "k", BODY, Map.of());
  }

  private static List<CompletableFuture<Void>> publish(Publisher p, int n) throws Exception {
    List<CompletableFuture<Void>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(p.publish(message(Uuid7.next().toString(), "video.view")));
    }
    return out;
  }

  private static PublishException.Reason failure(CompletableFuture<Void> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException ex) {
      return ex.getCause() instanceof PublishException pe ? pe.reason() : null;
    }
  }

  private static boolean confirmed(CompletableFuture<Void> f) {
    return !f.isCompletedExceptionally() && f.isDone();
  }

  /**
   * Deleting the exchange makes the broker close the publisher's channel (404 NOT_FOUND) with
   * publishes pending on it; the connection stays open. Every pending publish must fail at once
   * with a reason the producer's lane retries (not wait for the confirm timeout), the old
   * connection must be closed, and once the exchange is back the publisher must publish again by
   * itself on one connection.
   */
  @Test
  void aChannelClosedByTheBrokerFailsItsPendingPublishesAtOnceAndThePublisherRecovers()
      throws Exception {
    Topology t = Topology.named(TestServices.uniqueName("pubclose"), 1, ExchangeType.TOPIC);
    Brokers.declare(BrokerKind.RABBITMQ, endpoints, t);
    MeterRegistry registry = new SimpleMeterRegistry();
    PublisherOptions options =
        PublisherOptions.defaults("pubclose-it")
            .withConfirmTimeout(Duration.ofMinutes(5))
            .withRegistry(registry);
    try (Publisher p = Brokers.publisher(BrokerKind.RABBITMQ, endpoints, t, options);
        Connection admin = RabbitAdapter.connect(endpoints, "pubclose-it-admin");
        Channel ch = admin.createChannel()) {
      CompletableFuture.allOf(publish(p, 100).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);

      ch.exchangeDelete(t.exchange());
      List<CompletableFuture<Void>> inFlight = publish(p, 200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(inFlight).as("no publish hangs").allMatch(CompletableFuture::isDone));
      assertThat(inFlight)
          .as("every publish to the deleted exchange failed, as retriable UNREACHABLE")
          .allMatch(f -> failure(f) == PublishException.Reason.UNREACHABLE);
      assertThat(p.inFlight()).isZero();

      Brokers.declare(BrokerKind.RABBITMQ, endpoints, t);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                CompletableFuture<Void> f = p.publish(message(Uuid7.next().toString(), "x"));
                return f.handle((v, ex) -> ex == null).get(10, TimeUnit.SECONDS);
              });
      List<CompletableFuture<Void>> after = publish(p, 100);
      CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(p.isConnected()).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(registry.get("rabbitmq.connections").gauge().value())
                      .as("open publisher connections: the closed channel's one was closed")
                      .isEqualTo(1));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.get("rabbitmq.connections").gauge().value() == 0);
  }

  /**
   * The producer re-sends duplicates with the same message id on purpose. With one copy routable
   * and the other not (a routing key no queue binds on a direct exchange) both in flight, the
   * return must fail exactly the copy that was returned, and the broker's ack of the returned copy
   * must not confirm it. The routed copies go to a classic queue, which confirms at once, so the
   * broker often acks a routed copy and the returned copy after it in one multiple ack: matching
   * the return by message id then fails the routed copy and confirms the returned one.
   */
  @Test
  void aReturnFailsExactlyTheReturnedCopyOfAMessageId() throws Exception {
    String exchange = TestServices.uniqueName("pubreturn");
    String queue = exchange + ".routed";
    int pairs = 1_000;
    List<CompletableFuture<Void>> routed = new ArrayList<>();
    List<CompletableFuture<Void>> returned = new ArrayList<>();
    try (Connection admin = RabbitAdapter.connect(endpoints, "pubreturn-it-admin");
        Channel ch = admin.createChannel()) {
      ch.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false);
      ch.queueDeclare(queue, false, false, false, Map.of("x-queue-type", "classic"));
      ch.queueBind(queue, exchange, "video.view");
      try {
        try (Publisher p =
            new RabbitPublisher(endpoints, exchange, PublisherOptions.defaults("pubreturn-it"))) {
          for (int i = 0; i < pairs; i++) {
            String id = Uuid7.next().toString();
            routed.add(p.publish(message(id, "video.view")));
            returned.add(p.publish(message(id, "nobody.binds.this")));
          }
          List<CompletableFuture<Void>> all = new ArrayList<>(routed);
          all.addAll(returned);
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> all.stream().allMatch(CompletableFuture::isDone));
        }
        assertThat(routed.stream().filter(f -> !confirmed(f)).map(RabbitPublisherIT::failure))
            .as("routed copies not confirmed")
            .isEmpty();
        assertThat(returned.stream().map(RabbitPublisherIT::failure))
            .as("every returned copy is UNROUTABLE")
            .containsOnly(PublishException.Reason.UNROUTABLE);
        assertThat(ch.messageCount(queue)).isEqualTo(pairs);
      } finally {
        ch.queueDelete(queue);
        ch.exchangeDelete(exchange);
      }
    }
  }
}
