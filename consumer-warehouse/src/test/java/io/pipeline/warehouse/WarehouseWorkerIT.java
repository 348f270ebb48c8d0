package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One in-process worker against the shared services, for each broker. */
class WarehouseWorkerIT {
  private static final int N = 3_000;

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void everyPublishedEventBecomesExactlyOneRowAndFeedsTheReports(BrokerKind broker)
      throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("wh");
    String scope = TestServices.uniqueName("scope");
    Brokers.declare(broker, endpoints, Fixtures.topology(prefix));
    List<Event> events = Fixtures.mixedEvents(N, 1);
    Fixtures.publish(endpoints, broker, Fixtures.topology(prefix), events);

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rows(endpoints, scope) >= N);
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    assertThat(rows(endpoints, scope)).isEqualTo(N);
    assertThat(Fixtures.distinctRows(endpoints, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, scope, events);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void resentDuplicatesChangeNothing(BrokerKind broker) throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("wh");
    String scope = TestServices.uniqueName("scope");
    Brokers.declare(broker, endpoints, Fixtures.topology(prefix));
    List<Event> events = Fixtures.mixedEvents(N, 2);
    int dups = N / 20;
    List<Event> withDuplicates = new ArrayList<>(events);
    Random r = new Random(2);
    for (int i = 0; i < dups; i++) {
      withDuplicates.add(events.get(r.nextInt(N / 2) * 2)); // even indexes: distinct picks likely
    }
    Collections.shuffle(withDuplicates, r);
    long distinctDuplicates = withDuplicates.size() - N;

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      Fixtures.publish(endpoints, broker, Fixtures.topology(prefix), withDuplicates);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Fixtures.counter(worker, "pipeline.events.applied")
                          + Fixtures.counter(worker, "pipeline.events.duplicates")
                      >= withDuplicates.size());
      assertThat(Fixtures.counter(worker, "pipeline.events.duplicates"))
          .isEqualTo(distinctDuplicates);
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    assertThat(rows(endpoints, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, scope, events);
  }
}
