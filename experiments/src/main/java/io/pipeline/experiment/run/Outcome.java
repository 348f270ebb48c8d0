package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Everything a scenario run measured, before it is written as a results file. */
public final class Outcome {
  private static final java.time.format.DateTimeFormatter ID =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
          .withZone(java.time.ZoneOffset.UTC);

  /** Producer-side figures of one broker. */
  public static final class ProducerFigures {
    public double confirmed;
    public double failed;
    public double ratePerSecond;
    public double confirmP50Ms = Double.NaN;
    public double confirmP99Ms = Double.NaN;
  }

  /** Sink-side figures of one broker and sink. */
  public static final class SinkFigures {
    public double applied;
    public double duplicates;
    public double redelivered;
    public double deadLettered;
    public double skipped;
    public long peakBacklog;

    /** Seconds from the restart after a consumer outage until the backlog drained; NaN if none. */
    public double drainSeconds = Double.NaN;

    public double ratePerSecond;
    public Histogram latencySent;
    public Histogram latencyIntended;
  }

  /** The decoupling check: producer rate and confirm latency before and after a consumer joined. */
  public record Decoupling(
      BrokerKind broker,
      double rateBefore,
      double rateAfter,
      double confirmP50BeforeMs,
      double confirmP50AfterMs,
      double confirmP99BeforeMs,
      double confirmP99AfterMs) {}

  /**
   * One broker × sink path against the ledger: the sink's delivery counts, and how many of its ids
   * were unrecorded confirms of a SIGKILLed producer (added to the expectation; see {@code
   * Unrecorded}).
   */
  public record PathDelivery(Delivery delivery, int unrecorded) {
    /** Both checks' counts added up (one path checked in several steps of a run). */
    public PathDelivery plus(PathDelivery o) {
      Delivery x = delivery;
      Delivery y = o.delivery;
      return new PathDelivery(
          new Delivery(
              x.confirmed() + y.confirmed(),
              x.applied() + y.applied(),
              x.lost() + y.lost(),
              x.doubled() + y.doubled(),
              x.unexpected() + y.unexpected(),
              List.of()),
          unrecorded + o.unrecorded);
    }
  }

  public String runId;

  /** The run's prefix: its topic, exchange, queues, groups, scopes and namespaces. */
  public String prefix;

  /** The dedup scope qualifier (and cache namespace suffix) of {@code broker}'s workers. */
  public String dedupQualifier(io.pipeline.broker.BrokerKind broker) {
    return Verification.dedupQualifier(runId, broker);
  }

  public String name;
  public Instant start;
  public Instant end;
  public Path dir;
  public Scenario scenario;
  public final Map<BrokerKind, ProducerFigures> producer = new EnumMap<>(BrokerKind.class);
  public final Map<String, SinkFigures> sinks = new LinkedHashMap<>(); // "kafka/warehouse"

  /** Per-second series: name → (second → value). */
  public final Map<String, TreeMap<Integer, Double>> series = new LinkedHashMap<>();

  public final List<Decoupling> decoupling = new ArrayList<>();

  /** "kafka/warehouse" → lost/doubled counts against the ledger. */
  public final Map<String, PathDelivery> delivery = new LinkedHashMap<>();

  /** A chaos run's seed and fault timeline; null for other runs. */
  public io.pipeline.experiment.results.ChaosResults chaos;

  /** A failover run's node faults and per-broker figures; null for other runs. */
  public io.pipeline.experiment.results.FailoverResults failover;

  /** The scale experiment's drain rates, one per broker × sink × consumer count. */
  public final List<io.pipeline.experiment.results.ScalePoint> scale = new ArrayList<>();

  /** Each broker's own ceilings, measured alone (publish, drain, sustainable). */
  public final List<io.pipeline.experiment.results.Ceiling> ceilings = new ArrayList<>();

  /** The takeover experiment's figures, one per variant. */
  public final List<io.pipeline.experiment.takeover.TakeoverResult> takeover = new ArrayList<>();

  /** The ordering experiment's figures, one per variant and broker. */
  public final List<io.pipeline.experiment.ordering.OrderingResult> ordering = new ArrayList<>();

  /** The why-broker experiment's figures, one per path. */
  public final List<io.pipeline.experiment.whybroker.WhyBrokerResult> whyBroker = new ArrayList<>();

  /** The replay experiment's replays and rebuilds. */
  public final List<io.pipeline.experiment.results.ReplayResult> replays = new ArrayList<>();

  public final List<Verdict> verdicts = new ArrayList<>();
  public final List<String> notes = new ArrayList<>();

  /** Raw-tool baselines measured in this run (see {@code ProducerBaselines}). */
  public final List<io.pipeline.experiment.results.Baseline> baselines = new ArrayList<>();

  public final List<String> narration = new ArrayList<>();
  public final Map<String, String> environment = new LinkedHashMap<>();

  /** A run of {@code s} starting now, with its id ({@code <name>-<utc time>}) and folder. */
  public static Outcome begin(Scenario s, Path reportsDir) throws java.io.IOException {
    Outcome o = new Outcome();
    o.scenario = s;
    o.name = s.name();
    o.start = Instant.now();
    o.runId = s.name() + "-" + ID.format(o.start);
    o.dir = java.nio.file.Files.createDirectories(reportsDir.resolve(o.runId));
    return o;
  }

  public SinkFigures sink(BrokerKind b, String sink) {
    return sinks.computeIfAbsent(b.id() + "/" + sink, k -> new SinkFigures());
  }

  public void point(String series, int second, double value) {
    this.series.computeIfAbsent(series, k -> new TreeMap<>()).put(second, value);
  }

  public boolean verified() {
    return !verdicts.isEmpty()
        && verdicts.stream().allMatch(Verdict::passed)
        && delivery.values().stream().allMatch(d -> d.delivery().exact());
  }
}
