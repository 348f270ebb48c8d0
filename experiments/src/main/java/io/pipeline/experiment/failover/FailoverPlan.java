package io.pipeline.experiment.failover;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.experiment.run.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a failover run hits its clusters, from the workload's {@code failover} mapping: {@code kill}
 * (SIGKILL of each broker's leading node at that second), {@code stop} (a graceful stop of the then
 * leading nodes), {@code down} (how long each node stays down). Either fault may be left out.
 *
 * @param phases by time
 * @param down how long a node stays down before it is started again
 */
public record FailoverPlan(List<Phase> phases, Duration down) {
  /** What a phase does to the leading node of each broker. */
  public enum Mode {
    KILL("kill-node", "SIGKILL"),
    STOP("stop-node", "graceful stop");

    final String id;
    final String text;

    Mode(String id, String text) {
      this.id = id;
      this.text = text;
    }

    public String id() {
      return id;
    }
  }

  /** One fault: {@code mode} at run second {@code at}. */
  public record Phase(Mode mode, int at) {}

  private static final Set<String> KEYS = Set.of("kill", "stop", "down");

  public FailoverPlan {
    phases = List.copyOf(phases);
  }

  /** The plan of a workload; the setting, value and fix when it is not usable. */
  public static FailoverPlan of(Scenario s) {
    Object raw = s.raw().get("failover");
    if (!(raw instanceof Map<?, ?> m)) {
      throw new ConfigException(
          "failover",
          String.valueOf(raw),
          "must be a mapping. Fix: e.g. failover: {kill: 40s, stop: 120s, down: 25s}");
    }
    for (Object k : m.keySet()) {
      if (!KEYS.contains(String.valueOf(k))) {
        throw new ConfigException(
            "failover." + k, String.valueOf(m.get(k)), "unknown setting. Fix: one of " + KEYS);
      }
    }
    Duration down = Durations.positive("failover.down", String.valueOf(m.get("down")));
    List<Phase> phases = new ArrayList<>();
    int last = -1;
    for (Mode mode : Mode.values()) {
      Object at = m.get(mode == Mode.KILL ? "kill" : "stop");
      if (at == null) {
        continue;
      }
      String key = "failover." + (mode == Mode.KILL ? "kill" : "stop");
      int second = (int) Durations.positive(key, String.valueOf(at)).toSeconds();
      if (second <= last) {
        throw new ConfigException(
            key,
            String.valueOf(at),
            "must come after the killed nodes were restarted (kill + down). Fix: a later stop");
      }
      if (second + down.toSeconds() >= s.totalDuration().toSeconds()) {
        throw new ConfigException(
            key,
            String.valueOf(at),
            "plus failover.down ("
                + Durations.format(down)
                + ") must end before the run's duration ("
                + Durations.format(s.totalDuration())
                + "). Fix: an earlier fault or a longer duration");
      }
      last = second + (int) down.toSeconds();
      phases.add(new Phase(mode, second));
    }
    if (phases.isEmpty()) {
      throw new ConfigException(
          "failover", String.valueOf(raw), "has neither kill nor stop. Fix: at least one of them");
    }
    return new FailoverPlan(phases, down);
  }
}
