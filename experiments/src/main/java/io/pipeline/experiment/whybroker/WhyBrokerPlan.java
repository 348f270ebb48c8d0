package io.pipeline.experiment.whybroker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.experiment.run.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The why-broker run of each path, from the workload: one timeline of phases at intended send
 * times, the same for every path — steady at {@code rate}, PostgreSQL down for {@code
 * outageDuration}, a gap, Redis down as long, a gap, a burst at {@code burstFactor} × {@code rate}
 * for {@code burstDuration}, then {@code rate} again for {@code drainDuration}.
 *
 * @param paths in run order; null stands for the direct path
 * @param maxWait ingest's {@code --max-wait}: how long a request waits for the brokers or sinks
 * @param clientTimeout how long the caller waits for an answer before it counts a timeout
 * @param warmup the first stretch of the steady phase left out of its response times (fresh JVMs
 *     compile their hot paths then); the workload's {@code warmup}, 3 s when it sets none
 */
record WhyBrokerPlan(
    List<BrokerKind> paths,
    int rate,
    Duration steady,
    Duration outage,
    Duration gap,
    int burstFactor,
    Duration burst,
    Duration drain,
    String maxWait,
    Duration clientTimeout,
    Duration warmup,
    String mix,
    int videos,
    int phones,
    long seed,
    int partitions) {

  /** One stretch of the timeline: its name, when it starts and ends, and its request rate. */
  record Phase(String name, long startMs, long endMs, int rate) {
    long events() {
      return (endMs - startMs) * rate / 1000;
    }
  }

  static final String STEADY = "steady";
  static final String POSTGRES_DOWN = "postgres-down";
  static final String REDIS_DOWN = "redis-down";
  static final String BURST = "burst";
  static final String AFTER_BURST = "after-burst";

  static WhyBrokerPlan of(Scenario w) {
    Map<String, Object> raw = w.raw();
    int factor = integer(raw, "burstFactor", 8, 1, 100);
    List<BrokerKind> paths = new ArrayList<>();
    Object p = raw.getOrDefault("paths", List.of("direct", "kafka", "rabbitmq"));
    if (!(p instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException("paths", p, "a list of direct, kafka, rabbitmq");
    }
    for (Object o : list) {
      String s = String.valueOf(o);
      paths.add("direct".equals(s) ? null : BrokerKind.parse("paths", s));
    }
    String maxWait = String.valueOf(raw.getOrDefault("maxWait", "2s"));
    Durations.positive("maxWait", maxWait);
    return new WhyBrokerPlan(
        paths,
        w.rateSteps().get(0),
        duration(raw, "steadyDuration", "30s"),
        duration(raw, "outageDuration", "20s"),
        duration(raw, "gapDuration", "10s"),
        factor,
        duration(raw, "burstDuration", "15s"),
        duration(raw, "drainDuration", "30s"),
        maxWait,
        duration(raw, "clientTimeout", "5s"),
        raw.containsKey("warmup") ? w.warmup() : Duration.ofSeconds(3),
        w.mix(),
        w.videos(),
        w.phones(),
        w.seed(),
        w.partitions());
  }

  private static Duration duration(Map<String, Object> raw, String key, String def) {
    return Durations.positive(key, String.valueOf(raw.getOrDefault(key, def)));
  }

  private static int integer(Map<String, Object> raw, String key, int def, int min, int max) {
    Object v = raw.getOrDefault(key, def);
    try {
      int n = Integer.parseInt(String.valueOf(v).trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ex) {
      // below
    }
    throw new ConfigException(key, v, "a whole number " + min + ".." + max);
  }

  /** The phases in time order; every path runs exactly these. */
  List<Phase> phases() {
    List<Phase> out = new ArrayList<>();
    long t = 0;
    t = add(out, STEADY, t, steady, rate);
    t = add(out, POSTGRES_DOWN, t, outage, rate);
    t = add(out, "gap-1", t, gap, rate);
    t = add(out, REDIS_DOWN, t, outage, rate);
    t = add(out, "gap-2", t, gap, rate);
    t = add(out, BURST, t, burst, rate * burstFactor);
    add(out, AFTER_BURST, t, drain, rate);
    return out;
  }

  private static long add(List<Phase> out, String name, long t, Duration d, int rate) {
    out.add(new Phase(name, t, t + d.toMillis(), rate));
    return t + d.toMillis();
  }

  Phase phase(String name) {
    return phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  /** Milliseconds the load runs. */
  long totalMs() {
    List<Phase> p = phases();
    return p.get(p.size() - 1).endMs();
  }

  static String pathName(BrokerKind b) {
    return b == null ? "direct" : b.id();
  }
}
