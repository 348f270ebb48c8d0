package io.pipeline.experiment;

import io.pipeline.experiment.run.Outcome;
import io.pipeline.verify.Delivery;
import java.util.Locale;
import java.util.Map;

/** The Jepsen-style table: per broker × sink, confirmed, applied, lost, doubled. */
final class DeliveryTable {
  private DeliveryTable() {}

  static String format(Map<String, Outcome.PathDelivery> paths) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-20s %10s %10s %8s %8s %11s %10s%n",
            "path",
            "confirmed",
            "applied",
            "lost",
            "doubled",
            "unexpected",
            "unrecorded"));
    paths.forEach(
        (path, p) -> {
          Delivery d = p.delivery();
          sb.append(
              String.format(
                  Locale.ROOT,
                  "%-20s %10d %10d %8d %8d %11d %10d%s%n",
                  path,
                  d.confirmed(),
                  d.applied(),
                  d.lost(),
                  d.doubled(),
                  d.unexpected(),
                  p.unrecorded(),
                  d.exact() ? "" : "   <-- NOT EXACT"));
        });
    return sb.toString();
  }
}
