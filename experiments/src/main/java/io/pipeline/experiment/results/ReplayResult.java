package io.pipeline.experiment.results;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replay or rebuild of {@code experiment replay}, as its summary line reported it.
 *
 * @param command {@code replay} or {@code rebuild}
 * @param source the log read: {@code kafka} or {@code rabbitmq-stream}
 * @param sink the sink written: {@code warehouse} or {@code cache}
 * @param read records handed to the sink
 * @param applied events the sink had not applied before (0 for a replay of a verified run; a
 *     rebuild's applied views are every view counted again)
 * @param duplicates events skipped as already applied
 * @param skipped events not this sink's business
 * @param deadLettered records dead-lettered again
 * @param seconds wall time of the replay (the reader's open included)
 * @param ratePerSecond records read per second
 * @param complete the whole range was read
 * @param viewsAgree a rebuild only: Redis views per video equal the warehouse's after it; null for
 *     a replay
 */
public record ReplayResult(
    String command,
    String source,
    String sink,
    long read,
    long applied,
    long duplicates,
    long skipped,
    long deadLettered,
    double seconds,
    double ratePerSecond,
    boolean complete,
    Boolean viewsAgree) {

  private static final Pattern SUMMARY =
      Pattern.compile(
          "(replay complete|replay stopped before the end): (\\d+) records read \\(range: \\d+"
              + " offsets\\) in ([0-9.]+) s \\((\\d+)/s\\): (\\d+) applied \\(missed before\\), (\\d+)"
              + " duplicates skipped, (\\d+) not this sink's, (\\d+) dead-lettered");

  /**
   * The result in {@code line} (a replay's summary, or a rebuild's line that holds it); empty when
   * the line holds none.
   */
  public static Optional<ReplayResult> parse(
      String command, String source, String sink, String line, Boolean viewsAgree) {
    Matcher m = SUMMARY.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new ReplayResult(
            command,
            source,
            sink,
            Long.parseLong(m.group(2)),
            Long.parseLong(m.group(5)),
            Long.parseLong(m.group(6)),
            Long.parseLong(m.group(7)),
            Long.parseLong(m.group(8)),
            Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)),
            m.group(1).equals("replay complete"),
            viewsAgree));
  }

  /** One row of the console table. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "%-8s %-16s %-10s %9d %9d %11d %9d %6d %8.1f %9.0f  %s",
        command,
        source,
        sink,
        read,
        applied,
        duplicates,
        skipped,
        deadLettered,
        seconds,
        ratePerSecond,
        !complete
            ? "INCOMPLETE"
            : viewsAgree == null
                ? "complete"
                : viewsAgree ? "Redis = warehouse" : "Redis ≠ warehouse");
  }

  /** The console table's header. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-8s %-16s %-10s %9s %9s %11s %9s %6s %8s %9s  %s",
        "command",
        "log",
        "sink",
        "read",
        "applied",
        "duplicates",
        "not sink's",
        "dead",
        "seconds",
        "rate/s",
        "");
  }
}
