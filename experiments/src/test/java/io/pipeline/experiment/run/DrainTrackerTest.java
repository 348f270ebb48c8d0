package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import org.junit.jupiter.api.Test;

class DrainTrackerTest {
  @Test
  void theBacklogDrainsAtTheFirstSecondAfterTheRestartWithinHalfASecondOfWork() {
    Outcome o = new Outcome();
    double[] backlog = {0, 300, 1200, 2500, 2400, 900, 240, 10};
    for (int s = 0; s < backlog.length; s++) {
      o.point("kafka.backlog.warehouse", s, backlog[s]);
    }
    DrainTracker t = new DrainTracker(500);
    t.outage("kafka/warehouse", 3);

    assertThat(t.track(1, o)).isEmpty(); // still down: a low backlog does not count
    assertThat(t.track(5, o)).isEmpty();
    assertThat(t.track(6, o)).containsExactly(new DrainTracker.Drained("kafka/warehouse", 6, 3));
    assertThat(t.track(7, o)).isEmpty(); // once
    assertThat(o.sink(BrokerKind.KAFKA, "warehouse").drainSeconds).isEqualTo(3);
  }

  @Test
  void anUnknownBacklogNeverCountsAsDrained() {
    Outcome o = new Outcome();
    o.point("rabbitmq.backlog.cache", 5, -1); // the broker was down: not read
    DrainTracker t = new DrainTracker(0);
    t.outage("rabbitmq/cache", 2);

    assertThat(t.track(5, o)).isEmpty();
    assertThat(o.sink(BrokerKind.RABBITMQ, "cache").drainSeconds).isNaN();
  }
}
