package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.producer.LoadRun;
import io.pipeline.producer.lane.LaneStats;
import io.pipeline.testkit.PrivateRabbit;
import io.pipeline.testkit.TestServices;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One broker failing mid-run must not touch the other path. */
class RabbitDownIT {
  @Test
  void rabbitStoppedMidRunKafkaKeepsFullRateAndTheSummaryReportsTheLoss() throws Exception {
    try (PrivateRabbit rabbit = TestServices.startPrivateRabbit()) {
      Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
      env.put(Endpoints.RABBITMQ_URI, rabbit.uri());
      int rate = 1000;
      int count = 10_000;
      ProduceCommand cmd = new ProduceCommand(env);
      CompletableFuture<ItSupport.Run> running =
          CompletableFuture.supplyAsync(
              () ->
                  ItSupport.produce(
                      cmd,
                      "--prefix",
                      TestServices.uniqueName("down"),
                      "--partitions",
                      "2",
                      "--rate",
                      String.valueOf(rate),
                      "--count",
                      String.valueOf(count),
                      "--max-buffered",
                      "1000",
                      "--retry-max-backoff",
                      "500ms",
                      "--drain-timeout",
                      "3s"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                LaneStats s = cmd.liveStats().get(BrokerKind.RABBITMQ);
                return s != null && s.confirmed() > 1000;
              });
      rabbit.stop();
      // While RabbitMQ is down, Kafka confirms keep pace with the 1000/s schedule.
      LaneStats kafkaLive = cmd.liveStats().get(BrokerKind.KAFKA);
      LaneStats rabbitLive = cmd.liveStats().get(BrokerKind.RABBITMQ);
      long rabbitAtStop = rabbitLive.confirmed();
      long kafkaAtStop = kafkaLive.confirmed();
      long t0 = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> kafkaLive.confirmed() >= kafkaAtStop + 2000);
      double kafkaRate = 2000 / ((System.nanoTime() - t0) / 1e9);
      assertThat(kafkaRate)
          .as("Kafka confirms/s during the RabbitMQ outage")
          .isGreaterThan(0.8 * rate);
      assertThat(rabbitLive.confirmed()).as("RabbitMQ really was down").isEqualTo(rabbitAtStop);
      ItSupport.Run run = running.get();

      LoadRun.Result r = run.result();
      long sends = r.distinct() + r.duplicates();
      assertThat(sends).isEqualTo(count);
      LaneStats kafka = r.lanes().get(BrokerKind.KAFKA);
      LaneStats rmq = r.lanes().get(BrokerKind.RABBITMQ);
      // Kafka: every event confirmed, and on schedule: the generator never waited for RabbitMQ.
      assertThat(kafka.confirmed()).as(run.out() + run.err()).isEqualTo(count);
      assertThat(kafka.failed()).isZero();
      assertThat(r.scheduleLagMicros().getValueAtPercentile(50)).isLessThan(5_000);
      // Generation took the scheduled 10 s (plus the 3 s drain bound and slack), not longer.
      assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(count / rate + 3 + 4));
      // RabbitMQ: what it could not take is counted with its reason and fails the run.
      assertThat(rmq.confirmed()).isGreaterThan(1000).isLessThan(count);
      assertThat(rmq.confirmed() + rmq.failed()).isEqualTo(count);
      assertThat(rmq.failedByReason().keySet())
          .isNotEmpty()
          .isSubsetOf("UNREACHABLE", "BUFFER_FULL", "CLOSED", "TIMEOUT", "NACKED");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains("result: FAILED")
          .contains(rmq.failed() + " events were not confirmed by rabbitmq")
          .doesNotContain("not confirmed by kafka");
    }
  }
}
