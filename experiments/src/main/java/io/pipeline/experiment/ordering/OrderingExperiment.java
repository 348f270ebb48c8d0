package io.pipeline.experiment.ordering;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.config.ConfigException;
import io.pipeline.dedup.DedupScope;
import io.pipeline.experiment.run.FaultDriver;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.RunInputs;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.run.ScenarioRunner;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pipeline experiment ordering}: per-order order with 4 warehouse consumers per broker
 * (decision 0015). First both brokers at the workload's fixed rate with no remedy (Kafka: one group
 * over keyed partitions; RabbitMQ: competing consumers on the quorum queue); then each broker path
 * alone and unpaced, so each is measured at its own ceiling: Kafka, RabbitMQ's competing consumers,
 * and each RabbitMQ remedy of {@code remedies} (single active consumer, consistent hash over N
 * queues). In an unpaced run the path's workers are SIGKILLed at second 1 and started again {@code
 * backlogSeconds} later: the producer alone builds a backlog, so what the workers apply afterwards
 * is their ceiling, not the producer's (unpaced RabbitMQ workers otherwise keep up with the
 * producer). Every run is an ordinary scenario run verified against its ledger; the out-of-order
 * counts come from the warehouse's order_state.
 */
public final class OrderingExperiment {
  static final String SINK = "warehouse";
  static final int CONSUMERS = 4;

  private OrderingExperiment() {}

  /** One run of the experiment: which brokers, which RabbitMQ remedy, paced or not. */
  record Variant(String name, List<BrokerKind> brokers, QueueOrdering ordering, boolean paced) {}

  /** The runs of {@code w}: the fixed-rate pair, then Kafka, RabbitMQ and each remedy unpaced. */
  static List<Variant> plan(Scenario w) {
    ceilingRate(w); // a bad value is refused before anything runs
    List<Variant> v = new ArrayList<>();
    v.add(
        new Variant(
            "fixed-rate",
            List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ),
            QueueOrdering.NONE,
            true));
    v.add(new Variant("kafka", List.of(BrokerKind.KAFKA), QueueOrdering.NONE, false));
    v.add(
        new Variant("rabbitmq-competing", List.of(BrokerKind.RABBITMQ), QueueOrdering.NONE, false));
    for (QueueOrdering o : remedies(w)) {
      v.add(
          new Variant(
              "rabbitmq-" + o.id().replace(':', '-'), List.of(BrokerKind.RABBITMQ), o, false));
    }
    return v;
  }

  /** The workload's {@code remedies} (default: single-active and hash:4). */
  static List<QueueOrdering> remedies(Scenario w) {
    Object raw = w.raw().getOrDefault("remedies", List.of("single-active", "hash:4"));
    if (!(raw instanceof List<?> list)) {
      throw new ConfigException("remedies", raw, "a list, e.g. [single-active, hash:4]");
    }
    List<QueueOrdering> out = new ArrayList<>();
    for (Object o : list) {
      QueueOrdering q = QueueOrdering.parse("remedies", String.valueOf(o));
      if (q.mode() == QueueOrdering.Mode.NONE) {
        throw new ConfigException("remedies", o, "none is measured anyway: list only remedies");
      }
      if (q.mode() == QueueOrdering.Mode.HASH && q.queues() != CONSUMERS) {
        // Measured: hash:2 with 4 workers put 2,139 of 66,011 payments before their order.
        throw new ConfigException(
            "remedies",
            o,
            "the experiment runs "
                + CONSUMERS
                + " workers, and the hash remedy keeps order only with one worker per queue"
                + " (two on one queue compete again). Fix: hash:"
                + CONSUMERS);
      }
      out.add(q);
    }
    return out;
  }

  /**
   * Runs every variant; the outcome holds every run's verdicts and the {@code ordering} figures.
   */
  public static Outcome run(Scenario workload, RunInputs in) throws Exception {
    Outcome o = Outcome.begin(workload, in.reportsDir());
    for (Variant v : plan(workload)) {
      LoadAverage load = new LoadAverage();
      Outcome sub =
          new ScenarioRunner(
                  scenario(workload, v),
                  new RunInputs(
                      in.endpoints(), in.env(), o.dir, in.out(), in.verifiers(), in.jvmOptions()))
              .withFaults(load, 3)
              .run();
      absorb(o, sub, v.name());
      for (BrokerKind b : v.brokers()) {
        o.ordering.add(measure(in, v, b, sub, load.last()));
      }
    }
    o.end = Instant.now();
    return o;
  }

  /** The run of {@code v}: the workload's orders, 4 warehouse workers per broker of {@code v}. */
  static Scenario scenario(Scenario w, Variant v) {
    Map<String, Object> raw = new LinkedHashMap<>(w.raw());
    raw.put("rabbitOrdering", v.ordering().id());
    Duration seconds = v.paced() ? w.stepDuration() : ceilingDuration(w).orElse(w.stepDuration());
    return w.variant(
        w.name() + "-" + v.name(),
        "ordering, 4 consumers per sink: " + v.name(),
        List.of(v.paced() ? w.rateSteps().get(0) : ceilingRate(w)),
        seconds,
        CONSUMERS,
        v.brokers(),
        List.of(SINK),
        v.paced() ? List.of() : backlogFault(w, v),
        raw);
  }

  /** Every worker of the path SIGKILLed at second 1, started again {@code backlogSeconds} later. */
  private static List<Scenario.Fault> backlogFault(Scenario w, Variant v) {
    Duration down =
        io.pipeline.config.Durations.parse(
            "backlogSeconds", String.valueOf(w.raw().getOrDefault("backlogSeconds", "15s")));
    return List.of(
        new Scenario.Fault(
            Duration.ofSeconds(1),
            Scenario.Fault.Action.KILL_SINK,
            SINK,
            v.brokers().get(0).id(),
            down));
  }

  /**
   * The producer's rate in the ceiling runs: the workload's {@code ceilingRate}, 0 (unpaced, the
   * default) or a rate that bounds how many events a short run makes (an IT) — the backlog built
   * while the workers are down still measures their ceiling.
   */
  static int ceilingRate(Scenario w) {
    Object r = w.raw().getOrDefault("ceilingRate", 0);
    try {
      int rate = Integer.parseInt(String.valueOf(r).trim());
      if (rate >= 0) {
        return rate;
      }
    } catch (NumberFormatException ex) {
      // reported below
    }
    throw new ConfigException("ceilingRate", r, "0 (unpaced) or events per second, e.g. 2000");
  }

  private static java.util.Optional<Duration> ceilingDuration(Scenario w) {
    Object d = w.raw().get("ceilingDuration");
    return d == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            io.pipeline.config.Durations.parse("ceilingDuration", d.toString()));
  }

  private static OrderingResult measure(
      RunInputs in, Variant v, BrokerKind b, Outcome sub, Double load) {
    String path = b.id() + "/" + SINK;
    Outcome.SinkFigures f = sub.sinks.get(path);
    Outcome.PathDelivery d = sub.delivery.get(path);
    boolean passed =
        sub.verdicts.stream().filter(x -> b.id().equals(x.broker())).allMatch(Verdict::passed)
            && d != null
            && d.delivery().exact();
    long[] orders = orderState(in, sub, b);
    Double median =
        CeilingRate.median(
            sub.series.get(b.id() + ".applied." + SINK),
            sub.series.get(b.id() + ".backlog." + SINK),
            v.paced());
    if (!v.paced() && !CeilingRate.saturated(sub.series.get(b.id() + ".backlog." + SINK))) {
      sub.notes.add(
          v.name()
              + ": the consumers kept up with the unpaced producer most of the run, so the median"
              + " is the producer's ceiling, not theirs");
    }
    String ordering = b == BrokerKind.KAFKA ? "partitions" : v.ordering().id();
    return new OrderingResult(
        v.paced() ? b.id() + "-fixed-rate" : v.name(),
        b.id(),
        ordering,
        CONSUMERS,
        sub.scenario.rateSteps().get(0),
        sub.scenario.stepDuration().toSeconds(),
        f == null ? 0 : (long) f.applied,
        orders == null ? 0 : orders[1],
        orders == null ? null : orders[0],
        median,
        load,
        d == null ? 0 : d.delivery().lost(),
        d == null ? 0 : d.delivery().doubled(),
        passed);
  }

  /**
   * Out-of-order payments and applied payments of the path's scope, from order_state (the query of
   * {@code WarehouseVerifier.outOfOrderByBroker}, summed); null when PostgreSQL does not answer.
   */
  private static long[] orderState(RunInputs in, Outcome sub, BrokerKind b) {
    String scope = DedupScope.of(SINK, sub.prefix, sub.dedupQualifier(b)).id();
    var e = in.endpoints();
    String sql =
        "SELECT coalesce(sum(out_of_order), 0), count(*) FILTER (WHERE paid > 0)"
            + " FROM order_state WHERE dedup_scope = ?";
    try (Connection c =
        DriverManager.getConnection(e.postgresUrl(), e.postgresUser(), e.postgresPassword())) {
      PreparedStatement ps = c.prepareStatement(sql);
      ps.setString(1, scope);
      ResultSet rs = ps.executeQuery(); // closed with the connection
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
    } catch (SQLException ex) {
      sub.notes.add("order_state of " + b.id() + " not read: " + ex.getMessage());
      return null;
    }
  }

  /** A run's checks, counts and narration, added to the experiment's. */
  private static void absorb(Outcome into, Outcome sub, String name) {
    into.verdicts.addAll(sub.verdicts);
    sub.delivery.forEach((path, d) -> into.delivery.merge(path, d, Outcome.PathDelivery::plus));
    sub.notes.forEach(n -> into.notes.add(name + ": " + n));
    into.narration.addAll(sub.narration);
  }

  /** Reads the host's 1-minute load average once a run second, while the producer runs. */
  static final class LoadAverage implements FaultDriver {
    private volatile Double last;

    @Override
    public void tick(int second, RunControl control) {
      try {
        String s = Files.readString(Path.of("/proc/loadavg")).trim();
        last = Double.parseDouble(s.split("\\s+")[0]);
      } catch (java.io.IOException | RuntimeException ex) {
        // not Linux: no load average
      }
    }

    @Override
    public boolean down(BrokerKind broker) {
      return false;
    }

    @Override
    public void awaitRecovered() {}

    /** The last reading: the minute before the producer stopped; null when none. */
    Double last() {
      return last;
    }
  }
}
