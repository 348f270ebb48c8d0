package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The drain rate of recorded scale steps (test resources under {@code scale/}). */
class DrainCurveTest {
  @Test
  void kafkaWarehouseIsTimedFromTheFirstToTheLastEventHandled() throws IOException {
    DrainCurve c = recorded("drain-kafka-warehouse-2.csv");

    DrainCurve.Drain d = c.drain();

    // 500 handled at 3,518 ms (the resumed workers' first commit), 20,000 at 9,259 ms.
    assertThat(d.total()).isEqualTo(20_000);
    assertThat(d.firstMillis()).isEqualTo(3_518);
    assertThat(d.events()).isEqualTo(19_500);
    assertThat(d.seconds()).isCloseTo(5.741, within(1e-9));
    assertThat(d.ratePerSecond()).isCloseTo(3_396.6, within(0.1));
  }

  @Test
  void theIdlePollsAfterTheLastEventDoNotCount() throws IOException {
    DrainCurve c = recorded("drain-rabbitmq-cache-2.csv");

    DrainCurve.Drain d = c.drain();

    // RabbitMQ's cache queue holds views and SMS only: 18,052 of the 20,000 events.
    assertThat(d.total()).isEqualTo(18_052);
    assertThat(d.seconds()).isCloseTo(4.251 - 1.277, within(1e-9));
    assertThat(d.ratePerSecond()).isCloseTo(5_889.7, within(0.1));
    assertThat(c.quiet(1_000)).isTrue(); // 18,052 since 4,251 ms, last poll at 5,334 ms
  }

  @Test
  void notQuietWhileCountingOrBeforeAnythingWasHandled() {
    DrainCurve c = new DrainCurve();
    c.add(100, 0);
    c.add(1_500, 0);
    assertThat(c.quiet(1_000)).isFalse();
    assertThat(c.drain().events()).isZero();
    assertThat(c.drain().ratePerSecond()).isNaN();

    c.add(1_600, 400);
    c.add(2_700, 900);
    assertThat(c.quiet(1_000)).isFalse();
  }

  @Test
  void csvRoundTrips() throws IOException {
    DrainCurve c = recorded("drain-rabbitmq-cache-2.csv");

    assertThat(DrainCurve.fromCsv(c.toCsv()).samples()).isEqualTo(c.samples());
  }

  static DrainCurve recorded(String name) throws IOException {
    return DrainCurve.fromCsv(resource(name));
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DrainCurveTest.class.getResourceAsStream("/scale/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
