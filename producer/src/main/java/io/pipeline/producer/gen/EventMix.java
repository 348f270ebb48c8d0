package io.pipeline.producer.gen;

import io.pipeline.config.ConfigException;
import io.pipeline.event.EventType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Relative weights of the event types, e.g. {@code video.view=80,sms.send=10,order.created=5,
 * order.paid=5}. Weights need not add up to 100; a type left out is never generated.
 */
public final class EventMix {
  public static final String DEFAULT = "video.view=80,sms.send=10,order.created=5,order.paid=5";

  private final EventType[] types;
  private final double[] cumulative;
  private final Map<EventType, Double> weights;

  private EventMix(Map<EventType, Double> weights) {
    this.weights = Map.copyOf(weights);
    this.types = weights.keySet().toArray(EventType[]::new);
    this.cumulative = new double[types.length];
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < types.length; i++) {
      acc += weights.get(types[i]) / total;
      cumulative[i] = acc;
    }
    cumulative[types.length - 1] = 1.0;
  }

  /** Parses the flag value; errors name {@code setting}, the value and the fix. */
  public static EventMix parse(String setting, String value) {
    String fix =
        ". Fix: use type=weight pairs separated by commas, e.g. "
            + DEFAULT
            + " (types: "
            + String.join(", ", EventType.wireNames())
            + ")";
    if (value == null || value.isBlank()) {
      throw new ConfigException(setting, value, "empty" + fix);
    }
    Map<EventType, Double> w = new EnumMap<>(EventType.class);
    for (String part : value.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new ConfigException(setting, value, "'" + p + "' is not type=weight" + fix);
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      EventType type =
          EventType.fromWireName(name)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          setting, value, "unknown event type '" + name + "'" + fix));
      double weight;
      try {
        weight = Double.parseDouble(p.substring(eq + 1).trim());
      } catch (NumberFormatException ex) {
        throw new ConfigException(setting, value, "weight of " + name + " is not a number" + fix);
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new ConfigException(setting, value, "weight of " + name + " must be >= 0" + fix);
      }
      if (w.put(type, weight) != null) {
        throw new ConfigException(setting, value, name + " is listed twice" + fix);
      }
    }
    w.values().removeIf(x -> x == 0);
    if (w.isEmpty()) {
      throw new ConfigException(setting, value, "all weights are 0" + fix);
    }
    return new EventMix(w);
  }

  public EventType next(RandomGenerator random) {
    double u = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return types[i];
      }
    }
    return types[types.length - 1];
  }

  /** The normalised share of {@code type} (0 when it is not in the mix). */
  public double share(EventType type) {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    return weights.getOrDefault(type, 0.0) / total;
  }
}
