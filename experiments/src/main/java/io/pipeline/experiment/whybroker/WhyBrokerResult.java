package io.pipeline.experiment.whybroker;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One path of {@code experiment why-broker} (docs/results-schema.md, {@code whyBroker}): the same
 * requests at the same intended times through {@code direct}, {@code kafka} or {@code rabbitmq}.
 *
 * @param path {@code direct}, {@code kafka} or {@code rabbitmq}
 * @param requests requests planned (one event each)
 * @param steady the first attempts' answers in the steady phase
 * @param outage the first attempts' answers while PostgreSQL, then Redis, was down
 * @param burst the first attempts' answers during the burst
 * @param retried events the caller had to send more than once
 * @param heldPeak most events the caller held at once (sent, not yet accepted: its own buffer)
 * @param neverAccepted events still refused when the caller gave up (lost to the upstream)
 * @param appliedNotAccepted per sink, of those given up, the events the sink applied anyway (the
 *     caller was told they failed; the sinks disagree about them for ever)
 * @param lost accepted events a sink lacks after the run (the verifiers' count, both sinks)
 * @param doubled events a sink holds more than once (beyond {@code appliedNotAccepted}, which a
 *     counter cannot tell from a double)
 * @param backlogPeak broker paths: the largest backlog read from the broker, per sink; empty for
 *     direct
 * @param drainSeconds broker paths: from the burst's end until every sink's backlog was 0 again;
 *     null for direct (nothing to drain) or when it did not drain within the run
 * @param visibleWarehouseMs end to end, intended send time → row committed: p50, p99
 * @param visibleCacheMs end to end, intended send time → cache mark applied: p50, p99
 * @param sinksDisagreeMs per event in both sinks, |warehouse time − cache time|: p50, p99
 * @param duplicatesSkipped events the sinks skipped as already applied
 * @param cpuSeconds CPU used during the path's run, per process (the path's own and the services)
 * @param rssMegabytes resident memory at the end of the path's run, per process
 * @param verified every check of both sinks passed against the caller's accepted events
 */
public record WhyBrokerResult(
    String path,
    long requests,
    Answers steady,
    Answers outage,
    Answers burst,
    long retried,
    long heldPeak,
    long neverAccepted,
    Map<String, Long> appliedNotAccepted,
    long lost,
    long doubled,
    Map<String, Long> backlogPeak,
    Double drainSeconds,
    List<Double> visibleWarehouseMs,
    List<Double> visibleCacheMs,
    List<Double> sinksDisagreeMs,
    long duplicatesSkipped,
    Map<String, Double> cpuSeconds,
    Map<String, Double> rssMegabytes,
    boolean verified) {

  public WhyBrokerResult {
    appliedNotAccepted = Map.copyOf(appliedNotAccepted);
    backlogPeak = Map.copyOf(backlogPeak);
    visibleWarehouseMs = List.copyOf(visibleWarehouseMs);
    visibleCacheMs = List.copyOf(visibleCacheMs);
    sinksDisagreeMs = List.copyOf(sinksDisagreeMs);
    cpuSeconds = Map.copyOf(cpuSeconds);
    rssMegabytes = Map.copyOf(rssMegabytes);
  }

  /**
   * How the caller's first attempts in one phase were answered: counts, and response time from the
   * intended send time (ms; null when the phase had no answered request).
   *
   * @param requests first attempts in the phase
   * @param accepted answered 2xx
   * @param refused answered 5xx (the server said: resend)
   * @param timedOut no answer within the caller's timeout, or no connection
   */
  public record Answers(
      long requests,
      long accepted,
      long refused,
      long timedOut,
      Double p50Ms,
      Double p99Ms,
      Double p999Ms) {
    /** Refused and timed out, as a share of the phase's first attempts. */
    public double failedPercent() {
      return requests == 0 ? 0 : 100.0 * (refused + timedOut) / requests;
    }

    /** {@code "<failed> (<percent> %)"}. */
    public String failedText() {
      return refused
          + timedOut
          + " ("
          + String.format(Locale.ROOT, "%.1f", failedPercent())
          + " %)";
    }
  }

  /** Series names of a path in the run's time series: {@code why.<path>.<series>}. */
  public static String series(String path, String series) {
    return "why." + path + "." + series;
  }

  /** The largest backlog of any sink; null for the direct path. */
  public Long backlogMax() {
    return backlogPeak.isEmpty()
        ? null
        : backlogPeak.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** One sentence with the path's four comparisons. */
  public String sentence() {
    return String.format(
        Locale.ROOT,
        "%s: steady p99 %s ms; while a sink was down %s of %d first attempts failed and the"
            + " caller held up to %d events; burst p99 %s ms with %s failed%s; visible in the"
            + " warehouse at p99 %s ms, in the cache %s ms; %d lost, %d doubled%s.",
        path,
        ms(steady.p99Ms()),
        outage.failedText(),
        outage.requests(),
        heldPeak,
        ms(burst.p99Ms()),
        burst.failedText(),
        drainSeconds == null
            ? ""
            : ", its backlog drained "
                + String.format(Locale.ROOT, "%.0f", drainSeconds)
                + " s after it",
        visibleWarehouseMs.size() < 2 ? "–" : ms(visibleWarehouseMs.get(1)),
        visibleCacheMs.size() < 2 ? "–" : ms(visibleCacheMs.get(1)),
        lost,
        doubled,
        neverAccepted == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; the caller gave up on %d events, of which the warehouse applied %d and the"
                    + " cache %d anyway",
                neverAccepted,
                appliedNotAccepted.getOrDefault("warehouse", 0L),
                appliedNotAccepted.getOrDefault("cache", 0L)));
  }

  /** The side-by-side table printed after the run. */
  public static String table(List<WhyBrokerResult> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-9s %-26s %-26s %-30s %-12s %-20s %-20s %-14s %6s %s%n",
            "path",
            "steady p50/p99/p99.9 ms",
            "outage failed, held peak",
            "burst p99 ms, failed, backlog",
            "drain s",
            "visible wh p50/p99",
            "visible cache p50/p99",
            "disagree p99",
            "lost",
            "verified"));
    for (WhyBrokerResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-9s %-26s %-26s %-30s %-12s %-20s %-20s %-14s %6d %s%n",
              r.path(),
              triple(r.steady(), "/"),
              String.format(Locale.ROOT, "%.1f %%, %d", r.outage().failedPercent(), r.heldPeak()),
              ms(r.burst().p99Ms())
                  + ", "
                  + String.format(Locale.ROOT, "%.1f %%", r.burst().failedPercent())
                  + ", "
                  + (r.backlogMax() == null ? "–" : r.backlogMax()),
              r.drainSeconds() == null ? "–" : String.format(Locale.ROOT, "%.1f", r.drainSeconds()),
              pair(r.visibleWarehouseMs(), "/"),
              pair(r.visibleCacheMs(), "/"),
              r.sinksDisagreeMs().size() < 2 ? "–" : ms(r.sinksDisagreeMs().get(1)),
              r.lost(),
              r.verified() ? "PASS" : "FAIL"));
    }
    return b.toString();
  }

  /** p50, p99 as {@code "<p50><sep><p99>"}; "–" when there is none. */
  public static String pair(List<Double> p, String sep) {
    return p.size() < 2 ? "–" : ms(p.get(0)) + sep + ms(p.get(1));
  }

  /** p50, p99, p99.9 of a phase. */
  public static String triple(Answers a, String sep) {
    return ms(a.p50Ms()) + sep + ms(a.p99Ms()) + sep + ms(a.p999Ms());
  }

  /** Milliseconds: one decimal below 100, none above; "–" for null. */
  public static String ms(Double v) {
    if (v == null) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
