package io.pipeline.producer;

import io.micrometer.core.instrument.Timer;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventCodec;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.lifecycle.DaemonThreads;
import io.pipeline.metrics.MetricNames;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.producer.gen.EventGenerator;
import io.pipeline.producer.gen.Generated;
import io.pipeline.producer.gen.MicroClock;
import io.pipeline.producer.gen.RateSchedule;
import io.pipeline.producer.gen.WorkloadSpec;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.LaneStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One {@code produce} run: the generator thread follows the open-loop schedule and hands each event
 * to every lane without waiting on any broker; the lanes publish, retry and record confirms.
 */
public final class LoadRun {
  private static final int WARMUP_EVENTS = 50_000;

  /**
   * What one lane was sent.
   *
   * @param distinct new events
   * @param duplicates re-sends of earlier ids
   */
  public record Sends(long distinct, long duplicates) {
    public long total() {
      return distinct + duplicates;
    }
  }

  /**
   * What a run did.
   *
   * @param exitCode 0 when every broker confirmed every event sent to it, 1 otherwise
   * @param sends what each lane was sent: the same events for every lane at a fixed rate; at max
   *     rate ({@code --rate 0}) each lane has its own generator (same seed, so the same sequence of
   *     event types, keys and payloads) and goes at its own broker's pace, so the counts differ
   * @param lanes each broker's counters
   * @param startNanos {@link System#nanoTime()} of the first send
   * @param elapsed from the first send to the end of the drain
   */
  public record Result(
      int exitCode,
      Map<BrokerKind, Sends> sends,
      Map<BrokerKind, LaneStats> lanes,
      Histogram scheduleLagMicros,
      long startNanos,
      Duration elapsed) {
    /**
     * How long a lane was busy: from the first send to its latest confirm (the whole run when
     * nothing was confirmed). Its confirmed rate is over this time, so a lane that finished early
     * is not charged for another lane's drain.
     */
    public Duration busy(BrokerKind broker) {
      return lanes.get(broker).busySince(startNanos, elapsed);
    }

    /** New events generated (per lane; at max rate the fastest lane's). */
    public long distinct() {
      return sends.values().stream().mapToLong(Sends::distinct).max().orElse(0);
    }

    /** Re-sends of earlier ids (per lane; at max rate the fastest lane's). */
    public long duplicates() {
      return sends.values().stream().mapToLong(Sends::duplicates).max().orElse(0);
    }

    /** Whether each lane went at its own pace (max rate) rather than one schedule for all. */
    public boolean ownPace() {
      return sends.values().stream().distinct().count() > 1;
    }
  }

  private final ProduceSettings s;
  private final Endpoints endpoints;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stop;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile List<BrokerLane> liveLanes = List.of();

  public LoadRun(ProduceSettings settings, Endpoints endpoints, PrintWriter out, PrintWriter err) {
    this.s = settings;
    this.endpoints = endpoints;
    this.out = out;
    this.err = err;
  }

  /** Each lane's counters while the run is going (tests, progress). */
  public Map<BrokerKind, LaneStats> liveStats() {
    Map<BrokerKind, LaneStats> m = new LinkedHashMap<>();
    for (BrokerLane lane : liveLanes) {
      m.put(lane.kind(), lane.stats());
    }
    return m;
  }

  /** Stops generating; the run then drains its lanes and summarises (as on SIGTERM). */
  public void requestStop() {
    stop = true;
    stopRequested.countDown();
  }

  /** Waits up to {@code timeout} for {@link #execute} to return. */
  public void awaitFinished(Duration timeout) {
    try {
      finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs to the end: generates, drains, prints the summary on {@code out}.
   *
   * @throws ConfigException when a setting turns out unusable (the ledger cannot be written, the
   *     metrics port is taken)
   */
  public Result execute() {
    try (Observability obs = Observability.create("producer")) {
      return execute(obs);
    } finally {
      finished.countDown();
    }
  }

  private Result execute(Observability obs) {
    HttpEndpoints http = null;
    LedgerWriter ledger = null;
    List<BrokerLane> lanes = List.of();
    ScheduledExecutorService ticker = null;
    try {
      http = ProducerLanes.serveMetrics(s.brokers(), obs, err);
      if (s.ledger() != null) {
        try {
          ledger = new LedgerWriter(s.ledger());
        } catch (IOException ex) {
          throw new ConfigException("--ledger", s.ledger(), "cannot write it: " + ex.getMessage());
        }
      }
      lanes =
          ProducerLanes.open(
              s.brokers(), endpoints, obs.registry(), ledger, Duration.ofSeconds(20));
      liveLanes = lanes;
      ProducerLanes.readyWhileUp(http, lanes);
      Timer lagTimer =
          Timer.builder(MetricNames.PRODUCER_SCHEDULE_LAG)
              .description("How late each send was against the open-loop schedule")
              .publishPercentileHistogram()
              .register(obs.registry());
      Histogram lag = new Histogram(3_600_000_000L, 3);
      long idSeed = new SecureRandom().nextLong();
      Progress progress = new Progress(lanes);
      if (s.progress()) {
        ticker = DaemonThreads.scheduler("produce-progress");
        ticker.scheduleAtFixedRate(() -> progress.print(err), 1, 1, TimeUnit.SECONDS);
      }
      warmUp();
      long start = System.nanoTime();
      progress.start(start);
      RateSchedule schedule = new RateSchedule(start, s.rate());
      Map<BrokerKind, Sends> sends =
          schedule.unthrottled()
              ? eachAtItsOwnPace(lanes, start, idSeed, progress)
              : onSchedule(schedule, lanes, start, idSeed, lag, lagTimer, progress);
      if (stop) {
        err.println("stopping: generated " + progress.sent() + " sends; draining the lanes");
        err.flush();
      }
      ProducerLanes.finish(lanes, s.drainTimeout());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (ticker != null) {
        ticker.shutdownNow();
      }
      if (ledger != null) {
        try {
          ledger.close();
        } catch (IOException ex) {
          err.println("ledger " + s.ledger() + " could not be completed: " + ex.getMessage());
        }
      }
      Map<BrokerKind, LaneStats> stats = new LinkedHashMap<>();
      for (BrokerLane lane : lanes) {
        stats.put(lane.kind(), lane.stats());
      }
      boolean allConfirmed =
          stats.entrySet().stream()
              .allMatch(
                  e ->
                      e.getValue().confirmed() == sends.get(e.getKey()).total()
                          && e.getValue().failed() == 0);
      Result result = new Result(allConfirmed ? 0 : 1, sends, stats, lag, start, elapsed);
      Summary.print(out, result, ledger == null ? null : ledger);
      out.flush();
      if (http != null && s.metricsLinger().compareTo(Duration.ZERO) > 0 && !stop) {
        err.println(
            "run finished; metrics stay up for "
                + s.metricsLinger().toSeconds()
                + " s (--metrics-linger)");
        err.flush();
        stopRequested.await(s.metricsLinger().toMillis(), TimeUnit.MILLISECONDS);
      }
      return result;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", ex);
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      if (http != null) {
        http.close();
      }
      err.flush();
      out.flush();
    }
  }

  /**
   * Runs the generate-and-encode path on throw-away events (another seed, nothing is sent) so the
   * JIT has compiled it before the schedule starts: otherwise the first seconds of a run measure
   * the generator's own warm-up as schedule lag.
   */
  private void warmUp() {
    WorkloadSpec w = s.workload();
    EventGenerator g =
        new EventGenerator(
            new WorkloadSpec(
                w.seed() + 1,
                w.mix(),
                w.videos(),
                w.zipfExponent(),
                w.users(),
                w.phones(),
                w.payloadBytes(),
                w.duplicateRatio()),
            new Random(0));
    long deadline = System.nanoTime() + 3_000_000_000L;
    long bytes = 0;
    for (int i = 0; i < WARMUP_EVENTS && System.nanoTime() - deadline < 0 && !stop; i++) {
      long now = MicroClock.nowMicros();
      bytes += EventCodec.encode(g.next(now).event().withSentAtMicros(now)).length;
    }
    if (bytes == 42) {
      err.print(""); // keeps the loop's result observable so it is not optimised away
    }
  }

  /**
   * Fixed rate: one generator follows the open-loop schedule and offers every event to every lane
   * without waiting on any broker (a slow or down lane buffers, then fails what it cannot take).
   */
  private Map<BrokerKind, Sends> onSchedule(
      RateSchedule schedule,
      List<BrokerLane> lanes,
      long start,
      long idSeed,
      Histogram lag,
      Timer lagTimer,
      Progress progress) {
    EventGenerator gen = new EventGenerator(s.workload(), new Random(idSeed));
    long end = s.duration() == null ? Long.MAX_VALUE : start + s.duration().toNanos();
    long i = 0;
    while (!stop && !countReached(gen)) {
      long due = schedule.dueNanos(i);
      if (due - end >= 0) {
        break;
      }
      long now = System.nanoTime();
      while (due - now > 0 && !stop) {
        long wait = due - now;
        if (wait > 200_000) {
          LockSupport.parkNanos(Math.min(wait - 100_000, 50_000_000L));
        } else {
          Thread.onSpinWait();
        }
        now = System.nanoTime();
      }
      if (stop) {
        break;
      }
      long late = now - due;
      lag.recordValue(Math.min(late / 1_000L, lag.getHighestTrackableValue()));
      lagTimer.record(late, TimeUnit.NANOSECONDS);
      Generated g = gen.next(MicroClock.epochMicros(due));
      for (BrokerLane lane : lanes) {
        lane.offer(BrokerLane.Item.of(g.event(), g.duplicate()), 0);
      }
      i++;
      progress.oneSent();
    }
    Sends sent = new Sends(gen.produced(), i - gen.produced());
    Map<BrokerKind, Sends> out = new LinkedHashMap<>();
    lanes.forEach(lane -> out.put(lane.kind(), sent));
    return out;
  }

  /**
   * Max rate: each lane gets its own generator on its own thread (same seed: the same sequence of
   * types, keys and payloads) and offers as fast as its broker confirms, so the slower broker never
   * paces the faster one (docs/decisions/0009-max-rate-each-broker-at-its-own-pace.md).
   */
  private Map<BrokerKind, Sends> eachAtItsOwnPace(
      List<BrokerLane> lanes, long start, long idSeed, Progress progress)
      throws InterruptedException {
    long end = s.duration() == null ? Long.MAX_VALUE : start + s.duration().toNanos();
    int waitAbove =
        Math.max(
            1,
            Math.min(s.brokers().lane().maxBuffered(), 2 * s.brokers().publisher().maxInFlight()));
    Map<BrokerKind, Sends> out = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (BrokerLane lane : lanes) {
      Runnable pace =
          () -> {
            // Its own id stream: two lanes sending their i-th event in the same millisecond must
            // not mint the same UUIDv7.
            EventGenerator gen =
                new EventGenerator(s.workload(), new Random(idSeed + 1 + lane.kind().ordinal()));
            long i = 0;
            while (!stop && !countReached(gen) && System.nanoTime() - end < 0) {
              Generated g = gen.next(MicroClock.nowMicros());
              lane.offer(BrokerLane.Item.of(g.event(), g.duplicate()), waitAbove);
              i++;
              progress.oneSent();
            }
            out.put(lane.kind(), new Sends(gen.produced(), i - gen.produced()));
          };
      Thread t = new Thread(pace, "generate-" + lane.kind().id());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Map<BrokerKind, Sends> ordered = new LinkedHashMap<>();
    lanes.forEach(lane -> ordered.put(lane.kind(), out.get(lane.kind())));
    return ordered;
  }

  private boolean countReached(EventGenerator gen) {
    return s.count() > 0 && gen.produced() >= s.count() && !gen.hasPendingDuplicate();
  }

  /** The once-a-second progress line on stderr. */
  static final class Progress {
    private final List<BrokerLane> lanes;
    private final java.util.concurrent.atomic.LongAdder sent =
        new java.util.concurrent.atomic.LongAdder();
    private long start;
    private long lastSent;
    private long lastNanos;
    private final Map<BrokerKind, Long> lastConfirmed = new LinkedHashMap<>();

    Progress(List<BrokerLane> lanes) {
      this.lanes = lanes;
    }

    void start(long nanos) {
      start = nanos;
      lastNanos = nanos;
    }

    /** One more send handed to the lanes (at max rate: to one lane). */
    void oneSent() {
      sent.increment();
    }

    long sent() {
      return sent.sum();
    }

    synchronized void print(PrintWriter err) {
      long now = System.nanoTime();
      double secs = Math.max(1e-9, (now - lastNanos) / 1e9);
      long s = sent.sum();
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              "[%5.0fs] sent %d (%.0f/s)", (now - start) / 1e9, s, (s - lastSent) / secs));
      List<String> parts = new ArrayList<>();
      for (BrokerLane lane : lanes) {
        LaneStats st = lane.stats();
        long c = st.confirmed();
        long prev = lastConfirmed.getOrDefault(lane.kind(), 0L);
        lastConfirmed.put(lane.kind(), c);
        parts.add(
            String.format(
                "%s: confirmed %d (%.0f/s) failed %d buffered %d in-flight %d%s",
                lane.kind(),
                c,
                (c - prev) / secs,
                st.failed(),
                lane.buffered(),
                lane.inFlight(),
                lane.isDown() ? " DOWN (" + lane.lastError() + ")" : ""));
      }
      sb.append(" | ").append(String.join(" | ", parts));
      lastSent = s;
      lastNanos = now;
      err.println(sb);
      err.flush();
    }
  }
}
