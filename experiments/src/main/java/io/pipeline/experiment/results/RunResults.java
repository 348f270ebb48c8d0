package io.pipeline.experiment.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.pipeline.experiment.ordering.OrderingResult;
import io.pipeline.experiment.takeover.TakeoverResult;
import io.pipeline.experiment.whybroker.WhyBrokerResult;
import io.pipeline.verify.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured: one JSON file per run, documented in {@code docs/results-schema.md}.
 * Build one with {@link #builder(String, String)}.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} of the writer
 * @param runId unique id of the run (also its directory name)
 * @param name {@code demo}, {@code throughput}, {@code latency}, {@code backlog}, {@code
 *     duplicates}, {@code routing}, {@code chaos}, {@code failover}, {@code scale}, {@code
 *     takeover}, {@code ordering}, {@code replay} or {@code why-broker}
 * @param workload the workload file's content as it was loaded
 * @param brokers by broker id ({@code kafka}, {@code rabbitmq})
 * @param scale the scale experiment's drain rate per broker × sink × consumer count; empty for
 *     other runs
 * @param chaos a chaos run's seed and fault timeline; null for other runs
 * @param failover a failover run's node faults and per-broker figures; null for other runs
 * @param ceilings each broker's own ceilings, measured alone (throughput); empty for other runs
 * @param takeover the takeover experiment's figures per variant; empty for other runs
 * @param ordering the ordering experiment's figures per variant and broker; empty for other runs
 * @param replays the replay experiment's replays and rebuilds; empty for other runs
 * @param whyBroker the why-broker experiment's figures per path; empty for other runs
 */
public record RunResults(
    int schemaVersion,
    String runId,
    String name,
    Instant startTime,
    Instant endTime,
    Environment environment,
    Settings settings,
    Map<String, Object> workload,
    Map<String, BrokerResults> brokers,
    TimeSeries series,
    List<LatencyCurve> latencyCurves,
    List<Baseline> baselines,
    List<Verdict> verdicts,
    List<DeliveryResult> delivery,
    ChaosResults chaos,
    FailoverResults failover,
    List<ScalePoint> scale,
    List<Ceiling> ceilings,
    List<TakeoverResult> takeover,
    List<OrderingResult> ordering,
    List<ReplayResult> replays,
    List<WhyBrokerResult> whyBroker,
    List<String> notes) {

  /** Version 1: the first schema. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = mapper();

  public RunResults {
    workload = workload == null ? Map.of() : unmodifiable(workload);
    brokers = brokers == null ? Map.of() : unmodifiable(brokers);
    series = series == null ? TimeSeries.empty() : series;
    latencyCurves = latencyCurves == null ? List.of() : List.copyOf(latencyCurves);
    baselines = baselines == null ? List.of() : List.copyOf(baselines);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    delivery = delivery == null ? List.of() : List.copyOf(delivery);
    scale = scale == null ? List.of() : List.copyOf(scale);
    ceilings = ceilings == null ? List.of() : List.copyOf(ceilings);
    takeover = takeover == null ? List.of() : List.copyOf(takeover);
    ordering = ordering == null ? List.of() : List.copyOf(ordering);
    replays = replays == null ? List.of() : List.copyOf(replays);
    whyBroker = whyBroker == null ? List.of() : List.copyOf(whyBroker);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** Seconds from start to end; 0 if either is missing. */
  public double durationSeconds() {
    return startTime == null || endTime == null
        ? 0
        : Duration.between(startTime, endTime).toMillis() / 1000.0;
  }

  /** True when there were verdicts, all passed, and no path lost or doubled anything. */
  public boolean verified() {
    return !verdicts.isEmpty()
        && verdicts.stream().allMatch(Verdict::passed)
        && delivery.stream().allMatch(DeliveryResult::exact);
  }

  /** Writes pretty-printed JSON (creating parent directories) and returns {@code path}. */
  public Path write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writeValue(path.toFile(), this);
    return path;
  }

  public String toJson() throws IOException {
    return MAPPER.writeValueAsString(this);
  }

  /**
   * Reads a results file. Fields this version does not know are ignored, so an older report tool
   * can still read (and compare) a newer file.
   */
  public static RunResults read(Path path) throws IOException {
    return MAPPER.readValue(path.toFile(), RunResults.class);
  }

  public static RunResults fromJson(String json) throws IOException {
    return MAPPER.readValue(json, RunResults.class);
  }

  /** The mapper results files are written with. */
  public static ObjectMapper mapper() {
    SimpleModule time = new SimpleModule("instants-as-iso-8601");
    time.addSerializer(
        Instant.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
              throws IOException {
            gen.writeString(value.toString());
          }
        });
    time.addDeserializer(
        Instant.class,
        new JsonDeserializer<>() {
          @Override
          public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Instant.parse(p.getValueAsString());
          }
        });
    return new ObjectMapper()
        .registerModule(time)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static Builder builder(String runId, String name) {
    return new Builder(runId, name);
  }

  private static <K, V> Map<K, V> unmodifiable(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** Collects a run's results as they become known; {@link #build()} freezes them. */
  public static final class Builder {
    private final String runId;
    private final String name;
    private Instant startTime;
    private Instant endTime;
    private Environment environment;
    private Settings settings;
    private final Map<String, Object> workload = new LinkedHashMap<>();
    private final Map<String, ProducerResults> producers = new LinkedHashMap<>();
    private final Map<String, Map<String, SinkResults>> sinks = new LinkedHashMap<>();
    private final SeriesRecorder series = new SeriesRecorder();
    private final List<LatencyCurve> curves = new ArrayList<>();
    private final List<Baseline> baselines = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<DeliveryResult> delivery = new ArrayList<>();
    private ChaosResults chaos;
    private FailoverResults failover;
    private final List<ScalePoint> scale = new ArrayList<>();
    private final List<Ceiling> ceilings = new ArrayList<>();
    private final List<TakeoverResult> takeover = new ArrayList<>();
    private final List<OrderingResult> ordering = new ArrayList<>();
    private final List<ReplayResult> replays = new ArrayList<>();
    private final List<WhyBrokerResult> whyBroker = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String runId, String name) {
      this.runId = runId;
      this.name = name;
    }

    public Builder startTime(Instant t) {
      this.startTime = t;
      return this;
    }

    public Builder endTime(Instant t) {
      this.endTime = t;
      return this;
    }

    public Builder environment(Environment e) {
      this.environment = e;
      return this;
    }

    public Builder settings(Settings s) {
      this.settings = s;
      return this;
    }

    public Builder workload(Map<String, ?> w) {
      workload.putAll(w);
      return this;
    }

    public Builder producer(String broker, ProducerResults p) {
      producers.put(broker, p);
      sinks.computeIfAbsent(broker, k -> new LinkedHashMap<>());
      return this;
    }

    public Builder sink(String broker, String sink, SinkResults s) {
      sinks.computeIfAbsent(broker, k -> new LinkedHashMap<>()).put(sink, s);
      return this;
    }

    /** The recorder behind {@link RunResults#series()}; record into it while the run goes. */
    public SeriesRecorder series() {
      return series;
    }

    public Builder curve(LatencyCurve c) {
      curves.add(c);
      return this;
    }

    public Builder baseline(Baseline b) {
      baselines.add(b);
      return this;
    }

    /** Adds a {@link Verdict} (its broker, if any, names the path). */
    public Builder verdict(Verdict v) {
      verdicts.add(v);
      return this;
    }

    public Builder delivery(DeliveryResult d) {
      delivery.add(d);
      return this;
    }

    public Builder chaos(ChaosResults c) {
      this.chaos = c;
      return this;
    }

    public Builder failover(FailoverResults f) {
      this.failover = f;
      return this;
    }

    /** A scale or throughput run's steps and each broker's ceilings (either may be empty). */
    public Builder measuredAlone(List<ScalePoint> steps, List<Ceiling> brokerCeilings) {
      scale.addAll(steps);
      ceilings.addAll(brokerCeilings);
      return this;
    }

    public Builder ordering(List<OrderingResult> variants) {
      ordering.addAll(variants);
      return this;
    }

    public Builder whyBroker(List<WhyBrokerResult> paths) {
      whyBroker.addAll(paths);
      return this;
    }

    public Builder replays(List<ReplayResult> r) {
      replays.addAll(r);
      return this;
    }

    public Builder takeover(List<TakeoverResult> variants) {
      takeover.addAll(variants);
      return this;
    }

    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    public RunResults build() {
      Map<String, BrokerResults> brokers = new LinkedHashMap<>();
      sinks.forEach((b, s) -> brokers.put(b, new BrokerResults(producers.get(b), s)));
      return new RunResults(
          SCHEMA_VERSION,
          runId,
          name,
          startTime,
          endTime,
          environment,
          settings,
          workload,
          brokers,
          series.toTimeSeries(),
          curves,
          baselines,
          verdicts,
          delivery,
          chaos,
          failover,
          scale,
          ceilings,
          takeover,
          ordering,
          replays,
          whyBroker,
          notes);
    }
  }
}
