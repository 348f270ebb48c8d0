package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.metrics.MetricNames;
import io.pipeline.worker.WorkerRunner;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The order state through a real broker and worker (decision 0013): payments that arrive before
 * their orders' created still end in state paid with both amounts and are counted out of order
 * (table and counter); orders that arrive in order count nothing; re-sent copies change nothing.
 */
class OrderStateIT {
  private static final int ORDERS = 20;
  private final Endpoints endpoints = Fixtures.shared();

  private static List<Event> orders(String prefix, EventType type) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      out.add(
          Events.order(
              type,
              Uuid7.next(),
              prefix + i,
              new BigDecimal(i + ".0" + (type == EventType.ORDER_PAID ? 1 : 2)),
              Instant.now()));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void paymentsBeforeTheirCreatedEndPaidWithBothAmountsAndDuplicatesChangeNothing(BrokerKind broker)
      throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "orders", broker);
    List<Event> latePaid = orders("late", EventType.ORDER_PAID);
    List<Event> lateCreated = orders("late", EventType.ORDER_CREATED);
    List<Event> inOrderCreated = orders("ok", EventType.ORDER_CREATED);
    List<Event> inOrderPaid = orders("ok", EventType.ORDER_PAID);
    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
      List<Event> first = new ArrayList<>(latePaid);
      first.addAll(inOrderCreated);
      Fixtures.publish(endpoints, broker, run.topology(), first);
      Fixtures.awaitRows(
          endpoints, run, 2 * ORDERS, Duration.ofSeconds(60), Duration.ofMillis(200));
      List<Event> second = new ArrayList<>(lateCreated);
      second.addAll(inOrderPaid);
      second.addAll(latePaid); // re-sent copies: same ids
      second.addAll(inOrderCreated);
      Fixtures.publish(endpoints, broker, run.topology(), second);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Fixtures.handled(worker) >= 6 * ORDERS);
      assertThat(Fixtures.counter(worker, MetricNames.EVENTS_DUPLICATES)).isEqualTo(2 * ORDERS);
      assertThat(Fixtures.counter(worker, MetricNames.WAREHOUSE_ORDERS_OUT_OF_ORDER))
          .isEqualTo(ORDERS);
    }
    String scope = Fixtures.scopeId(run.prefix(), run.scope());
    try (Connection c = Fixtures.connect(endpoints);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT order_id, state, created, created_amount, paid, paid_amount,"
                    + " first_applied, out_of_order, paid_broker FROM order_state"
                    + " WHERE dedup_scope = ? ORDER BY order_id")) {
      ps.setString(1, scope);
      int rows = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows++;
          String id = rs.getString(1);
          int n = Integer.parseInt(id.replaceAll("\\D", ""));
          boolean late = id.startsWith("late");
          assertThat(rs.getString(2)).as(id).isEqualTo("paid");
          assertThat(rs.getLong(3)).as(id).isEqualTo(1);
          assertThat(rs.getBigDecimal(4)).as(id).isEqualByComparingTo(n + ".02");
          assertThat(rs.getLong(5)).as(id).isEqualTo(1);
          assertThat(rs.getBigDecimal(6)).as(id).isEqualByComparingTo(n + ".01");
          assertThat(rs.getString(7)).as(id).isEqualTo(late ? "order.paid" : "order.created");
          assertThat(rs.getLong(8)).as(id).isEqualTo(late ? 1 : 0);
          assertThat(rs.getString(9)).as(id).isEqualTo(broker.id());
        }
      }
      assertThat(rows).isEqualTo(2 * ORDERS);
    }
  }
}
