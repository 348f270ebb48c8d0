package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.producer.lane.LaneStats;
import io.pipeline.testkit.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RabbitMQ exchange types route as specified, on a real RabbitMQ. */
class RoutingIT {
  static final String MIX = "video.view=1,sms.send=1,order.created=1,order.paid=1";
  static final int COUNT = 400;
  static final Map<String, String> env = TestServices.shared().asEnv();
  static final Endpoints endpoints = Endpoints.fromEnv(env);

  /**
   * {@code produce --to rabbitmq --prefix P --exchange-type T --count N --mix M [--queue Q]...
   * --rate 0 --no-progress}.
   */
  private static ItSupport.Run toRabbit(
      String prefix, String exchangeType, int count, String mix, String... queues) {
    List<String> args =
        new ArrayList<>(
            List.of("--to", "rabbitmq", "--prefix", prefix, "--exchange-type", exchangeType));
    for (String q : queues) {
      args.addAll(List.of("--queue", q));
    }
    args.addAll(
        List.of("--count", String.valueOf(count), "--mix", mix, "--rate", "0", "--no-progress"));
    return ItSupport.produce(env, args.toArray(String[]::new));
  }

  private static Set<EventType> typesIn(List<Event> events) {
    return events.stream().map(Event::type).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @CsvSource({"fanout", "direct", "topic"})
  void defaultQueuesGetTheTypesTheirExchangeTypeRoutes(String type) {
    String prefix = TestServices.uniqueName("route");
    ItSupport.Run run = toRabbit(prefix, type, COUNT, MIX);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Topology t = Topology.named(prefix, 1, ExchangeType.parse("type", type));
    List<Event> warehouse =
        ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, Topology.WAREHOUSE, COUNT);
    assertThat(warehouse).hasSize(COUNT);
    assertThat(typesIn(warehouse)).containsExactlyInAnyOrder(EventType.values());
    List<Event> cache;
    if (type.equals("fanout")) {
      // Fanout ignores bindings: the cache gets orders too.
      cache = ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, Topology.CACHE, COUNT);
      assertThat(cache).hasSize(COUNT);
      assertThat(typesIn(cache)).containsExactlyInAnyOrder(EventType.values());
    } else {
      long expected =
          warehouse.stream()
              .filter(e -> e.type() == EventType.VIDEO_VIEW || e.type() == EventType.SMS_SEND)
              .count();
      cache = ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, Topology.CACHE, (int) expected);
      assertThat(cache).hasSize((int) expected);
      assertThat(typesIn(cache))
          .containsExactlyInAnyOrder(EventType.VIDEO_VIEW, EventType.SMS_SEND);
    }
  }

  @Test
  void anEventNoQueueIsBoundForIsReturnedAndReportedNotLostSilently() {
    String prefix = TestServices.uniqueName("unroutable");
    ItSupport.Run run = toRabbit(prefix, "topic", 200, "video.view=1,sms.send=1", "views=video.*");
    LaneStats s = run.result().lanes().get(BrokerKind.RABBITMQ);
    assertThat(s.failedByReason()).containsOnlyKeys("UNROUTABLE");
    long smsReturned = s.failedByReason().get("UNROUTABLE");
    assertThat(smsReturned).isBetween(50L, 150L);
    assertThat(s.confirmed() + smsReturned).isEqualTo(200);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("UNROUTABLE=" + smsReturned);
    Topology t =
        Topology.named(prefix, 1, ExchangeType.TOPIC)
            .withQueues(List.of(new QueueSpec(prefix + ".views", List.of("video.*"))));
    List<Event> views =
        ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, "views", (int) s.confirmed());
    assertThat(views).hasSize((int) s.confirmed());
    assertThat(typesIn(views)).containsExactly(EventType.VIDEO_VIEW);
  }

  @Test
  void directBindingsFromTheQueueFlagAreHonoured() {
    String prefix = TestServices.uniqueName("direct");
    ItSupport.Run run =
        toRabbit(
            prefix,
            "direct",
            200,
            MIX,
            "orders=order.created,order.paid",
            "all=" + MIX.replaceAll("=1", ""));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Topology t =
        Topology.named(prefix, 1, ExchangeType.DIRECT)
            .withQueues(
                List.of(
                    new QueueSpec(prefix + ".orders", List.of()),
                    new QueueSpec(prefix + ".all", List.of())));
    List<Event> all = ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, "all", 200);
    assertThat(all).hasSize(200);
    long orders = all.stream().filter(e -> e.type().wireName().startsWith("order.")).count();
    List<Event> got = ItSupport.consume(BrokerKind.RABBITMQ, endpoints, t, "orders", (int) orders);
    assertThat(got).hasSize((int) orders);
    assertThat(typesIn(got))
        .containsExactlyInAnyOrder(EventType.ORDER_CREATED, EventType.ORDER_PAID);
  }
}
