package io.pipeline.experiment.results;

import io.pipeline.verify.Verdict;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A realistic demo run, built through the public API: 60 s at about 2,000 events/s on Kafka and
 * 1,800 on RabbitMQ, warehouse consumers down from 20 s to 40 s, latencies with a long tail.
 */
public final class SampleResults {
  private SampleResults() {}

  public static RunResults realistic(boolean oneFailure) {
    Instant start = Instant.parse("2026-11-26T07:40:00Z");
    RunResults.Builder b =
        RunResults.builder("20261126-074000-demo", "demo")
            .startTime(start)
            .endTime(start.plusSeconds(75))
            .environment(
                new Environment(
                    "AMD EPYC 7B13",
                    2,
                    2,
                    8L << 30,
                    "Linux 6.1.0 amd64",
                    "17.0.15",
                    "Debian",
                    Map.of("kafka", "4.1.0", "rabbitmq", "4.1.4")))
            .settings(Settings.fair(6, "topic", 512));
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("name", "demo");
    workload.put("rateSteps", List.of(2000));
    workload.put("duration", "60s");
    workload.put("payloadBytes", 512);
    workload.put("duplicateRatio", 0.05);
    workload.put("faults", List.of(Map.of("at", "20s", "action", "KILL_SINK", "down", "20s")));
    b.workload(workload);

    Random rnd = new Random(42);
    double[] rate = {2000, 1800};
    String[] brokers = {"kafka", "rabbitmq"};
    for (int i = 0; i < 2; i++) {
      String broker = brokers[i];
      double published = 0;
      double appliedW = 0;
      double appliedC = 0;
      double backlog = 0;
      for (int t = 0; t <= 60; t++) {
        double sent = rate[i] * (0.97 + 0.06 * rnd.nextDouble());
        published += sent;
        boolean down = t >= 20 && t < 40;
        double wh = down ? 0 : Math.min(sent + backlog, rate[i] * 2.5);
        backlog = Math.max(0, backlog + sent - wh);
        appliedW += wh;
        appliedC += sent;
        b.series().record(broker + ".published", t, Math.round(sent));
        b.series().record(broker + ".published.total", t, Math.round(published));
        b.series().record(broker + ".applied.warehouse", t, Math.round(wh));
        b.series().record(broker + ".applied.warehouse.total", t, Math.round(appliedW));
        b.series().record(broker + ".applied.cache", t, Math.round(sent));
        b.series().record(broker + ".applied.cache.total", t, Math.round(appliedC));
        b.series().record(broker + ".backlog.warehouse", t, Math.round(backlog));
        b.series().record(broker + ".backlog.cache", t, Math.round(sent * 0.01));
      }
      Histogram confirm = latencies(rnd, i == 0 ? 3_000 : 6_000);
      Histogram e2eW = latencies(rnd, i == 0 ? 9_000 : 6_000);
      Histogram e2eC = latencies(rnd, i == 0 ? 7_000 : 4_500);
      Histogram intendedW = latencies(rnd, i == 0 ? 11_000 : 8_000);
      Histogram intendedC = latencies(rnd, i == 0 ? 8_000 : 6_000);
      long confirmed = Math.round(published);
      b.producer(
          broker,
          new ProducerResults(
              confirmed + 3,
              confirmed,
              3,
              confirmed / 60.0,
              Histograms.percentiles(confirm, TimeUnit.MICROSECONDS)));
      b.sink(
          broker,
          "warehouse",
          sink(
              confirmed,
              i == 0 ? 1_200 : 350,
              0,
              e2eW,
              intendedW,
              Math.round(rate[i] * 20),
              i == 0 ? 13.0 : 15.5));
      b.sink(
          broker,
          "cache",
          sink(
              confirmed, i == 0 ? 400 : 120, 2, e2eC, intendedC, Math.round(rate[i] * 0.05), null));
      b.curve(Histograms.curve(broker, LatencyCurve.CONFIRM, null, confirm, TimeUnit.MICROSECONDS));
      b.curve(Histograms.curve(broker, LatencyCurve.E2E, "warehouse", e2eW, TimeUnit.MICROSECONDS));
      b.curve(Histograms.curve(broker, LatencyCurve.E2E, "cache", e2eC, TimeUnit.MICROSECONDS));
      b.curve(
          Histograms.curve(
              broker, LatencyCurve.E2E_INTENDED, "warehouse", intendedW, TimeUnit.MICROSECONDS));
      b.curve(
          Histograms.curve(
              broker, LatencyCurve.E2E_INTENDED, "cache", intendedC, TimeUnit.MICROSECONDS));
      for (String sink : List.of("warehouse", "cache")) {
        b.verdict(
            new Verdict(
                broker,
                sink,
                sink.equals("warehouse") ? "events rows vs confirmed ids" : "video view counters",
                confirmed,
                confirmed,
                0,
                0,
                List.of()));
      }
    }
    if (oneFailure) {
      b.verdict(
          new Verdict(
              "rabbitmq",
              "cache",
              "sms outcomes: one per id",
              5_000,
              4_998,
              2,
              0,
              List.of("sms 0193a1 has no outcome", "sms 0193a7 has no outcome")));
    }
    b.baseline(
        new Baseline(
            "kafka ProducerPerformance", "kafka", "publish", 48_000, 2.1, 9.8, 2000, null, null));
    b.baseline(
        new Baseline(
            "kafka ConsumerPerformance",
            "kafka",
            "consume",
            95_000,
            null,
            null,
            2000,
            120.0,
            310.0));
    b.baseline(
        new Baseline(
            "rabbitmq PerfTest", "rabbitmq", "publish", 21_000, 3.4, 14.2, 1800, null, null));
    for (String broker : List.of("kafka", "rabbitmq")) {
      b.delivery(new DeliveryResult(broker, "warehouse", 27_000, 27_000, 0, 0, 0, 3));
      b.delivery(new DeliveryResult(broker, "cache", 24_300, 24_300, 0, 0, 0, 3));
    }
    b.chaos(
        new ChaosResults(
            7,
            List.of(
                new ChaosResults.Fault(14, "sink-outage", "postgres", 11, 26.4, ""),
                new ChaosResults.Fault(15, "join-worker", "warehouse-kafka", 0, 15.0, "joined"),
                new ChaosResults.Fault(18, "broker-restart", "rabbitmq", 7, 31.2, ""),
                new ChaosResults.Fault(24, "kill-worker", "cache-kafka-2", 1, 24.0, ""))));
    b.failover(
        new FailoverResults(
            List.of(new ChaosResults.Fault(40, "kill-node", "kafka-2", 25, 71.5, "back")),
            List.of(
                new FailoverResults.Figures(
                    new FailoverResults.Target("kafka", "kill-node", "kafka-2", 40),
                    new FailoverResults.Publishing(8400.0, 2900.0),
                    java.util.Map.of(
                        "warehouse", new FailoverResults.Sink(9.0, 9800.0),
                        "cache", new FailoverResults.Sink(8.0, 9700.0)),
                    new FailoverResults.Rejoin(3100.0, 6500.0)))));
    b.note("warehouse consumers were down from 20 s to 40 s on both brokers");
    return b.build();
  }

  /** A sink that applied all {@code confirmed} events in the 60 s run, 5% of them duplicates. */
  private static SinkResults sink(
      long confirmed,
      long redeliveries,
      long deadLetters,
      Histogram e2e,
      Histogram intended,
      long peakBacklog,
      Double drainTimeSeconds) {
    return new SinkResults(
        confirmed,
        Math.round(confirmed * 0.05),
        redeliveries,
        deadLetters,
        confirmed / 60.0,
        Histograms.percentiles(e2e, TimeUnit.MICROSECONDS),
        Histograms.percentiles(intended, TimeUnit.MICROSECONDS),
        peakBacklog,
        drainTimeSeconds);
  }

  /** A long-tailed latency distribution in microseconds around {@code medianMicros}. */
  static Histogram latencies(Random rnd, long medianMicros) {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    for (int i = 0; i < 50_000; i++) {
      double v = medianMicros * Math.exp(rnd.nextGaussian() * 0.5);
      if (rnd.nextDouble() < 0.002) {
        v *= 20; // the occasional stall: GC, fsync, rebalance
      }
      h.recordValue(Math.max(1, Math.round(v)));
    }
    return h;
  }

  /** A scale run: the warehouse of both brokers drained by 1, 2 and 4 consumers. */
  public static RunResults scale() {
    RunResults.Builder b = RunResults.builder("scale-20261201-120000", "scale");
    double[][] rates = {{20_000, 36_000, 50_000}, {10_000, 12_000, 11_000}};
    int[] counts = {1, 2, 4};
    for (int i = 0; i < 2; i++) {
      String broker = i == 0 ? "kafka" : "rabbitmq";
      for (int j = 0; j < counts.length; j++) {
        double rate = rates[i][j];
        b.measuredAlone(
            List.of(
                new ScalePoint(
                    broker,
                    "warehouse",
                    counts[j],
                    i == 0 ? 8 : 0,
                    60_000,
                    59_500,
                    59_500 / rate,
                    rate,
                    0,
                    0,
                    true)),
            List.of());
      }
    }
    return b.build();
  }

  /** A throughput run: each broker's publish, drain and sustainable warehouse ceilings. */
  public static RunResults throughput() {
    RunResults.Builder b = RunResults.builder("throughput-20261201-120000", "throughput");
    List<Ceiling.Probe> kafka =
        List.of(
            new Ceiling.Probe(15_000, 40_000, false, 2_400.0, false),
            new Ceiling.Probe(12_000, 900, true, 180.0, true));
    b.measuredAlone(
        List.of(),
        List.of(
            new Ceiling("kafka", Ceiling.PUBLISH, null, 120_000.0),
            new Ceiling("rabbitmq", Ceiling.PUBLISH, null, 30_000.0),
            new Ceiling("kafka", Ceiling.DRAIN, "warehouse", 20_000.0),
            new Ceiling("rabbitmq", Ceiling.DRAIN, "warehouse", 10_000.0),
            new Ceiling(
                "kafka",
                Ceiling.SUSTAINABLE,
                "warehouse",
                12_000.0,
                new Ceiling.Search(500, kafka)),
            new Ceiling(
                "rabbitmq",
                Ceiling.SUSTAINABLE,
                "warehouse",
                4_000.0,
                new Ceiling.Search(
                    500, List.of(new Ceiling.Probe(4_000, 300, true, 95.0, true))))));
    return b.build();
  }
}
