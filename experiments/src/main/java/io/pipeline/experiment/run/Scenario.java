package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A workload: what load to offer and which faults to inject, kept apart from broker settings (those
 * are fixed and fair: see docs/experiments.md). Loaded from {@code experiments/workloads/*.yaml};
 * unknown keys are errors.
 *
 * @param rateSteps events/s of each step; one step = a constant rate. 0 = as fast as confirms allow
 * @param stepDuration how long each step lasts
 */
public record Scenario(
    String name,
    String description,
    List<Integer> rateSteps,
    Duration stepDuration,
    Duration warmup,
    String mix,
    int payloadBytes,
    double duplicateRatio,
    ExchangeType exchangeType,
    int partitions,
    int consumersPerSink,
    List<BrokerKind> brokers,
    List<String> sinks,
    int videos,
    int phones,
    long seed,
    List<Fault> faults,
    Map<String, Object> raw) {

  /** A fault injected at {@code at} seconds into the run. */
  public record Fault(Duration at, Action action, String sink, String broker, Duration down) {
    public enum Action {
      /** SIGKILL every worker of a sink (of one broker or both), restart after {@code down}. */
      KILL_SINK,
      /** SIGKILL one worker of a sink, restart it right away (a crash mid-batch). */
      KILL_ONE,
      /** Start one more worker for the sink (decoupling: the producer must not notice). */
      ADD_CONSUMER
    }

    boolean appliesTo(BrokerKind b) {
      return broker == null || broker.equals("both") || broker.equals(b.id());
    }
  }

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "description",
          "rate",
          "rateSteps",
          "duration",
          "stepDuration",
          "warmup",
          "mix",
          "payloadBytes",
          "duplicateRatio",
          "exchangeType",
          "partitions",
          "consumersPerSink",
          "brokers",
          "sinks",
          "videos",
          "phones",
          "seed",
          "faults",
          "events",
          "baselines",
          "chaos",
          "failover",
          "backlog",
          "consumerCounts",
          "fillRate",
          "latencyTarget",
          "probes",
          "probeDuration",
          "rabbitOrdering",
          "remedies",
          "ceilingDuration",
          "ceilingRate",
          "backlogSeconds",
          "replayFrom",
          "steadyDuration",
          "outageDuration",
          "gapDuration",
          "burstFactor",
          "burstDuration",
          "drainDuration",
          "maxWait",
          "clientTimeout",
          "paths");

  /**
   * Whether faults are drawn from the run's seed on private services ({@code chaos: true}), on top
   * of the fixed {@code faults} list.
   */
  public boolean chaos() {
    return Boolean.parseBoolean(String.valueOf(raw.getOrDefault("chaos", false)));
  }

  /**
   * How the RabbitMQ sink queues keep per-key order ({@code rabbitOrdering: none | single-active |
   * hash:N}; decision 0015); none when the workload does not say.
   */
  public QueueOrdering rabbitOrdering() {
    Object v = raw.get("rabbitOrdering");
    return v == null ? QueueOrdering.NONE : QueueOrdering.parse("rabbitOrdering", v.toString());
  }

  /** {@code 500 events/s for 60 s}, {@code max rate for 60 s} or the list of rate steps. */
  public String rateText() {
    return rateSteps.size() == 1
        ? (rateSteps.get(0) == 0 ? "max rate" : rateSteps.get(0) + " events/s")
            + " for "
            + stepDuration.toSeconds()
            + " s"
        : "rate steps " + rateSteps + " × " + stepDuration.toSeconds() + " s";
  }

  /**
   * One run of an experiment made of several (takeover, ordering): this workload's events (mix,
   * sizes, exchange, partitions, seed) with the run's own name, load, workers, paths and faults,
   * and no warm-up.
   */
  public Scenario variant(
      String runName,
      String runDescription,
      List<Integer> rates,
      Duration step,
      int consumers,
      List<BrokerKind> paths,
      List<String> runSinks,
      List<Fault> runFaults,
      Map<String, Object> runRaw) {
    return new Scenario(
        runName,
        runDescription,
        rates,
        step,
        Duration.ZERO,
        mix,
        payloadBytes,
        duplicateRatio,
        exchangeType,
        partitions,
        consumers,
        paths,
        runSinks,
        videos,
        phones,
        seed,
        runFaults,
        runRaw);
  }

  /** This workload with another seed (events and, in a chaos run, faults). */
  public Scenario withSeed(long newSeed) {
    Map<String, Object> r = new LinkedHashMap<>(raw);
    r.put("seed", newSeed);
    return new Scenario(
        name,
        description,
        rateSteps,
        stepDuration,
        warmup,
        mix,
        payloadBytes,
        duplicateRatio,
        exchangeType,
        partitions,
        consumersPerSink,
        brokers,
        sinks,
        videos,
        phones,
        newSeed,
        faults,
        r);
  }

  public Duration totalDuration() {
    return stepDuration.multipliedBy(rateSteps.size());
  }

  public static Scenario load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "workload file", file, "no such file. Fix: see experiments/workloads/ for examples");
    }
    try (Reader r = Files.newBufferedReader(file)) {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (!(doc instanceof Map<?, ?> m)) {
        throw new ConfigException("workload file", file, "must be a YAML mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return fromMap(map, file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    }
  }

  static Scenario fromMap(Map<String, Object> m, String defaultName) {
    for (String k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new ConfigException(
            "workload key '" + k + "'", m.get(k), "unknown key. Fix: use one of " + KEYS);
      }
    }
    String name = str(m, "name", defaultName);
    List<Integer> steps = new ArrayList<>();
    if (m.containsKey("rateSteps")) {
      for (Object o : (List<?>) m.get("rateSteps")) {
        steps.add(intOf("rateSteps", o));
      }
    } else {
      steps.add(intOf("rate", m.getOrDefault("rate", 500)));
    }
    Duration stepDuration =
        Durations.parse(
            m.containsKey("stepDuration") ? "stepDuration" : "duration",
            str(m, m.containsKey("stepDuration") ? "stepDuration" : "duration", "60s"));
    List<BrokerKind> brokers = new ArrayList<>();
    for (Object o : (List<?>) m.getOrDefault("brokers", List.of("kafka", "rabbitmq"))) {
      brokers.add(BrokerKind.parse("brokers", String.valueOf(o)));
    }
    List<String> sinks = new ArrayList<>();
    for (Object o : (List<?>) m.getOrDefault("sinks", List.of("warehouse", "cache"))) {
      String s = String.valueOf(o);
      if (!s.equals("warehouse") && !s.equals("cache")) {
        throw new ConfigException("sinks", s, "expected warehouse or cache");
      }
      sinks.add(s);
    }
    List<Fault> faults = new ArrayList<>();
    for (Object o : (List<?>) m.getOrDefault("faults", List.of())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) o;
      String action = str(f, "action", "");
      Fault.Action a =
          switch (action) {
            case "kill-sink" -> Fault.Action.KILL_SINK;
            case "kill-one" -> Fault.Action.KILL_ONE;
            case "add-consumer" -> Fault.Action.ADD_CONSUMER;
            default ->
                throw new ConfigException(
                    "faults.action", action, "expected kill-sink, kill-one or add-consumer");
          };
      faults.add(
          new Fault(
              Durations.parse("faults.at", str(f, "at", "0s")),
              a,
              str(f, "sink", "warehouse"),
              str(f, "broker", "both"),
              Durations.parse("faults.down", str(f, "down", "0s"))));
    }
    double dup = Double.parseDouble(String.valueOf(m.getOrDefault("duplicateRatio", 0.0)));
    if (dup < 0 || dup > 0.5) {
      throw new ConfigException("duplicateRatio", dup, "must be between 0 and 0.5");
    }
    return new Scenario(
        name,
        str(m, "description", ""),
        steps,
        stepDuration,
        Durations.parse("warmup", str(m, "warmup", "0s")),
        str(m, "mix", "video.view=80,sms.send=10,order.created=5,order.paid=5"),
        intOf("payloadBytes", m.getOrDefault("payloadBytes", 200)),
        dup,
        ExchangeType.parse("exchangeType", str(m, "exchangeType", "topic")),
        intOf("partitions", m.getOrDefault("partitions", 6)),
        intOf("consumersPerSink", m.getOrDefault("consumersPerSink", 1)),
        brokers,
        sinks,
        intOf("videos", m.getOrDefault("videos", 1000)),
        intOf("phones", m.getOrDefault("phones", 200)),
        Long.parseLong(String.valueOf(m.getOrDefault("seed", 42))),
        faults,
        new LinkedHashMap<>(m));
  }

  /** The demo's script: decoupling, buffering and idempotency in one run. */
  public static Scenario demo(Duration duration, int rate) {
    long s = duration.toSeconds();
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("name", "demo");
    raw.put("duration", s + "s");
    raw.put("rate", rate);
    raw.put("duplicateRatio", 0.05);
    raw.put(
        "faults",
        List.of(
            Map.of("at", Math.max(1, s / 6) + "s", "action", "add-consumer", "sink", "warehouse"),
            Map.of(
                "at",
                Math.max(2, s / 4) + "s",
                "action",
                "kill-sink",
                "sink",
                "cache",
                "broker",
                "both",
                "down",
                Math.max(3, Math.min(20, s / 3)) + "s"),
            Map.of(
                "at", Math.max(3, (s * 3) / 4) + "s", "action", "kill-one", "sink", "warehouse")));
    raw.put("description", "decoupling, buffering and idempotency, side by side");
    return fromMap(raw, "demo");
  }

  /**
   * The demo's last scene (decision 0017): why-broker in a few seconds per path — 50 requests/s,
   * PostgreSQL then Redis down 3 s each, a 6× burst of 3 s — enough to show who refuses its caller.
   */
  public static Scenario whyBrokerDemo() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("name", "why-broker-demo");
    raw.put("description", "the demo's short why-broker: direct, Kafka, RabbitMQ");
    raw.put("rate", 50);
    raw.put("warmup", "1s");
    raw.put("steadyDuration", "3s");
    raw.put("outageDuration", "3s");
    raw.put("gapDuration", "2s");
    raw.put("burstFactor", 6);
    raw.put("burstDuration", "3s");
    raw.put("drainDuration", "4s");
    raw.put("maxWait", "2s");
    raw.put("clientTimeout", "5s");
    raw.put("mix", "video.view=80,sms.send=10,order.created=10");
    return fromMap(raw, "why-broker-demo");
  }

  private static String str(Map<String, Object> m, String k, String dflt) {
    Object v = m.get(k);
    return v == null ? dflt : String.valueOf(v);
  }

  private static int intOf(String key, Object v) {
    try {
      return Integer.parseInt(String.valueOf(v));
    } catch (NumberFormatException ex) {
      throw new ConfigException(key, v, "expected a whole number");
    }
  }
}
