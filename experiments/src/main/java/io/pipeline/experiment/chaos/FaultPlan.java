package io.pipeline.experiment.chaos;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.chaos.ChaosFault.BrokerRestart;
import io.pipeline.experiment.chaos.ChaosFault.JoinWorker;
import io.pipeline.experiment.chaos.ChaosFault.KillProducer;
import io.pipeline.experiment.chaos.ChaosFault.KillWorker;
import io.pipeline.experiment.chaos.ChaosFault.LeaveWorker;
import io.pipeline.experiment.chaos.ChaosFault.SinkOutage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws a chaos run's faults from a seed: the same seed and shape always give the same timeline
 * ({@link Random} is specified bit for bit). The run is cut into episodes of about a minute; each
 * is built around a sink outage that a broker restart, a worker SIGKILL and a worker joining or
 * leaving overlap; the producer is SIGKILLed once, and a few more workers are SIGKILLed anywhere.
 * Every fault starts after the first tenth of the run and is over before the last tenth, so the
 * producer ends, and the backlog drains, with everything up.
 */
public final class FaultPlan {
  /** What the faults may hit. Workers are named {@code <sink>-<broker>-<n>}, n from 1. */
  public record Shape(
      int durationSeconds, List<BrokerKind> brokers, List<String> sinks, int consumersPerSink) {
    public Shape {
      brokers = List.copyOf(brokers);
      sinks = List.copyOf(sinks);
      if (durationSeconds < 30) {
        throw new IllegalArgumentException(
            "a chaos run needs at least 30 s, got " + durationSeconds);
      }
    }

    List<String> workers() {
      List<String> out = new ArrayList<>();
      for (BrokerKind b : brokers) {
        for (String s : sinks) {
          for (int i = 1; i <= consumersPerSink; i++) {
            out.add(s + "-" + b.id() + "-" + i);
          }
        }
      }
      return out;
    }

    /** First second a fault may start. */
    public int first() {
      return Math.max(5, durationSeconds / 10);
    }

    /** Every fault is over by this second. */
    public int last() {
      return durationSeconds - Math.max(5, durationSeconds / 10);
    }
  }

  /** The store behind each sink. */
  static final Map<String, String> STORE = Map.of("warehouse", "postgres", "cache", "redis");

  private final Random random;
  private final Shape shape;
  private final Map<String, List<int[]>> busy = new HashMap<>(); // worker -> [from, to)
  private final List<ChaosFault> faults = new ArrayList<>();

  private FaultPlan(long seed, Shape shape) {
    this.random = new Random(seed);
    this.shape = shape;
  }

  /** The faults of a run of {@code shape} drawn from {@code seed}, by start time. */
  public static List<ChaosFault> draw(long seed, Shape shape) {
    return new FaultPlan(seed, shape).draw();
  }

  private List<ChaosFault> draw() {
    int first = shape.first();
    int last = shape.last();
    int episodes = Math.max(1, shape.durationSeconds() / 60);
    int slot = (last - first) / episodes;
    int brokerOffset = random.nextInt(shape.brokers().size());
    int producerEpisode = random.nextInt(episodes);
    for (int e = 0; e < episodes; e++) {
      int start = first + e * slot;
      int outageDown = between(8, Math.max(8, Math.min(20, slot * 6 / 10)));
      int outageAt = start + between(0, Math.max(0, slot - outageDown - 2));
      String sink = pick(shape.sinks());
      add(new SinkOutage(outageAt, STORE.get(sink), outageDown));

      BrokerKind broker = shape.brokers().get((e + brokerOffset) % shape.brokers().size());
      int restartAt = outageAt + between(0, outageDown / 2);
      add(new BrokerRestart(restartAt, broker, clampDown(restartAt, between(3, 8))));

      int killAt = outageAt + between(1, outageDown - 1);
      killWorker(killAt, between(1, 6));

      int memberAt = outageAt + between(1, outageDown - 1);
      if (random.nextBoolean()) {
        add(new JoinWorker(memberAt, pick(shape.brokers()), pick(shape.sinks())));
      } else {
        String w = freeWorker(memberAt, memberAt + 10);
        if (w != null) {
          int down = clampDown(memberAt, between(3, 10));
          reserve(w, memberAt, down);
          add(new LeaveWorker(memberAt, w, down));
        }
      }
      if (e == producerEpisode) {
        int at = start + between(0, Math.max(0, slot - 6));
        add(new KillProducer(at, clampDown(at, between(1, 4))));
      }
    }
    int extra = Math.max(1, shape.durationSeconds() / 45);
    for (int i = 0; i < extra; i++) {
      killWorker(between(first, last - 2), between(1, 6));
    }
    faults.sort(Comparator.comparingInt(ChaosFault::at).thenComparing(ChaosFault::kind));
    return List.copyOf(faults);
  }

  private void killWorker(int at, int down) {
    int d = clampDown(at, down);
    String w = freeWorker(at, at + d);
    if (w != null) {
      reserve(w, at, d);
      add(new KillWorker(at, w, d));
    }
  }

  /** A random worker with no other fault of its own in [from, to] (null if none is free). */
  private String freeWorker(int from, int to) {
    List<String> free = new ArrayList<>();
    for (String w : shape.workers()) {
      boolean clash = false;
      for (int[] iv : busy.getOrDefault(w, List.of())) {
        if (from <= iv[1] && iv[0] <= to) {
          clash = true;
        }
      }
      if (!clash) {
        free.add(w);
      }
    }
    return free.isEmpty() ? null : free.get(random.nextInt(free.size()));
  }

  private void reserve(String worker, int at, int down) {
    busy.computeIfAbsent(worker, k -> new ArrayList<>()).add(new int[] {at, at + down});
  }

  private void add(ChaosFault f) {
    faults.add(f);
  }

  /** {@code down}, shortened so the fault is over by {@link Shape#last()} (at least 1 s). */
  private int clampDown(int at, int down) {
    return Math.max(1, Math.min(down, shape.last() - at));
  }

  private int between(int lo, int hi) {
    return hi <= lo ? lo : lo + random.nextInt(hi - lo + 1);
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
