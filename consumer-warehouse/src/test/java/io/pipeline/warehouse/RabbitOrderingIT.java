package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.metrics.MetricNames;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ ordering remedies with 4 real warehouse workers on one sink (decision 0015): each
 * order's created is published right before its paid, the case competing consumers reorder; with a
 * single active consumer or a consistent-hash exchange over 4 queues no payment is applied before
 * its order, and every event is applied once.
 */
class RabbitOrderingIT {
  private static final int ORDERS = 400;
  private static final int WORKERS = 4;
  private final Endpoints endpoints = Fixtures.shared();

  /** created(o0), paid(o0), created(o1), paid(o1)...: adjacent, so they meet different workers. */
  private static List<Event> orders(String prefix) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      BigDecimal amount = new BigDecimal(i + ".25");
      out.add(
          Events.order(EventType.ORDER_CREATED, Uuid7.next(), prefix + i, amount, Instant.now()));
      out.add(Events.order(EventType.ORDER_PAID, Uuid7.next(), prefix + i, amount, Instant.now()));
    }
    return out;
  }

  private Fixtures.Run declare(String name, QueueOrdering ordering) {
    String prefix = TestServices.uniqueName(name);
    Topology t = Fixtures.topology(prefix).withOrdering(ordering);
    Brokers.declare(BrokerKind.RABBITMQ, endpoints, t);
    return new Fixtures.Run(prefix, TestServices.uniqueName("scope"), t);
  }

  private List<WorkerRunner> startWorkers(Fixtures.Run run, QueueOrdering ordering) {
    List<WorkerRunner> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      WorkerSettings s =
          WorkerSettings.builder(BrokerKind.RABBITMQ, run.prefix())
              .dedupQualifier(run.scope())
              .batchSize(5)
              .maxWait(Duration.ofMillis(5))
              .rabbitOrdering(ordering, ordering.mode() == QueueOrdering.Mode.HASH ? i : 0)
              .build();
      workers.add(WarehouseWorker.start(s, WarehouseSettings.defaults(), endpoints));
    }
    for (WorkerRunner w : workers) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Fixtures.readiness(w.metricsPort()) == 200);
    }
    return workers;
  }

  private static double sum(List<WorkerRunner> workers, String counter) {
    return workers.stream().mapToDouble(w -> Fixtures.counter(w, counter)).sum();
  }

  private long outOfOrderInTable(Fixtures.Run run) {
    return Fixtures.queryLong(
        endpoints,
        "SELECT coalesce(sum(out_of_order), 0) FROM order_state WHERE dedup_scope = ?",
        Fixtures.scopeId(run.prefix(), run.scope()));
  }

  private void awaitAllApplied(Fixtures.Run run, List<WorkerRunner> workers) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Fixtures.handled(workers.toArray(WorkerRunner[]::new)) >= 2 * ORDERS);
  }

  @Test
  void singleActiveConsumerWithFourWorkersAppliesNoPaymentBeforeItsOrder() throws Exception {
    Fixtures.Run run = declare("sac", QueueOrdering.SINGLE_ACTIVE);
    List<Event> events = orders("s");
    List<WorkerRunner> workers = startWorkers(run, QueueOrdering.SINGLE_ACTIVE);
    try {
      Fixtures.publish(endpoints, BrokerKind.RABBITMQ, run.topology(), events);
      awaitAllApplied(run, workers);
      assertThat(sum(workers, MetricNames.WAREHOUSE_ORDERS_OUT_OF_ORDER)).isZero();
      assertThat(workers.stream().filter(w -> Fixtures.counter(w, "pipeline.events.applied") > 0))
          .as("workers that applied anything: one is active, three stand by")
          .hasSize(1);
    } finally {
      workers.forEach(WorkerRunner::close);
    }
    assertThat(outOfOrderInTable(run)).isZero();
    Fixtures.assertExactlyOnce(endpoints, run, events);
  }

  /**
   * A foreign producer on a raw amqp-client channel: it must set the header {@code partition-key}
   * (the order id) for the consistent-hash exchange to keep one order on one queue.
   */
  @Test
  void consistentHashOverFourQueuesAppliesEveryEventOnceAndNoPaymentBeforeItsOrder()
      throws Exception {
    QueueOrdering hash = QueueOrdering.hash(WORKERS);
    Fixtures.Run run = declare("hash", hash);
    List<Event> events = orders("h");
    List<WorkerRunner> workers = startWorkers(run, hash);
    try {
      publishRaw(run.topology(), events);
      awaitAllApplied(run, workers);
      assertThat(sum(workers, MetricNames.WAREHOUSE_ORDERS_OUT_OF_ORDER)).isZero();
      assertThat(sum(workers, MetricNames.EVENTS_DUPLICATES)).isZero();
      for (WorkerRunner w : workers) {
        assertThat(Fixtures.counter(w, "pipeline.events.applied"))
            .as("each of the 4 queues gets a share of the orders")
            .isPositive();
      }
    } finally {
      workers.forEach(WorkerRunner::close);
    }
    assertThat(outOfOrderInTable(run)).isZero();
    Fixtures.assertExactlyOnce(endpoints, run, events);
  }

  /**
   * A foreign producer that leaves the header out: RabbitMQ 3.10's consistent-hash exchange still
   * routes its messages (nothing is returned or lost), but every one of them to the same queue, so
   * they are not spread over the workers.
   */
  @Test
  void messagesWithoutThePartitionKeyHeaderAllLandOnOneQueue() throws Exception {
    QueueOrdering hash = QueueOrdering.hash(WORKERS);
    Fixtures.Run run = declare("nohdr", hash);
    List<Event> events = orders("n").subList(0, 40);
    assertThat(publishRaw(run.topology(), events, false)).as("returned").isEmpty();
    List<Long> depths = new ArrayList<>();
    try (com.rabbitmq.client.Connection c = connection();
        Channel ch = c.createChannel()) {
      for (int i = 0; i < WORKERS; i++) {
        String q = QueueOrdering.hashQueueName(run.topology().queueForSink("warehouse").name(), i);
        depths.add((long) ch.queueDeclarePassive(q).getMessageCount());
      }
    }
    assertThat(depths).as("messages per hash queue").contains(40L).containsOnly(0L, 40L);
  }

  private com.rabbitmq.client.Connection connection() throws Exception {
    ConnectionFactory cf = new ConnectionFactory();
    cf.setUri(endpoints.rabbitUri());
    return cf.newConnection(
        List.of(
            com.rabbitmq.client.Address.parseAddresses(
                String.join(",", endpoints.rabbitAddresses()))),
        "ordering-it-raw");
  }

  private void publishRaw(Topology t, List<Event> events) throws Exception {
    assertThat(publishRaw(t, events, true)).as("unroutable messages").isEmpty();
  }

  /**
   * Persistent, confirmed, mandatory: what {@code RabbitPublisher} does, without it; returns the
   * ids of the messages returned as unroutable.
   */
  private List<String> publishRaw(Topology t, List<Event> events, boolean withHeader)
      throws Exception {
    try (com.rabbitmq.client.Connection c = connection();
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      List<String> returned = java.util.Collections.synchronizedList(new ArrayList<>());
      ch.addReturnListener(r -> returned.add(r.getProperties().getMessageId()));
      for (Event e : events) {
        OutboundMessage m = Fixtures.message(e);
        Map<String, Object> headers = new HashMap<>();
        if (withHeader) {
          headers.put("partition-key", m.partitionKey());
        }
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(m.messageId())
                .type(m.routingKey())
                .headers(headers)
                .build();
        ch.basicPublish(t.exchange(), m.routingKey(), true, props, m.body());
      }
      ch.waitForConfirmsOrDie(30_000);
      return List.copyOf(returned);
    }
  }
}
