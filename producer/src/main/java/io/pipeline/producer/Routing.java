package io.pipeline.producer;

import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import io.pipeline.event.EventType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the topology from the flags: the product default ({@link Topology#named}: warehouse takes
 * every type, cache takes video views and SMS), or the queues given with {@code --queue
 * NAME=KEY[,KEY…]}. With {@code direct} the keys are event types; with {@code topic} they are
 * patterns ({@code video.*}, {@code sms.#}, {@code #}); {@code fanout} ignores them.
 */
public final class Routing {
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  private static final Pattern TOPIC_WORD = Pattern.compile("[a-z0-9_-]+|\\*|#");

  private Routing() {}

  public static Topology topology(
      String prefix, int partitions, ExchangeType type, List<String> queueFlags) {
    Topology base = Topology.named(prefix, partitions, type);
    if (queueFlags == null || queueFlags.isEmpty()) {
      return base;
    }
    String p = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
    List<QueueSpec> queues = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String flag : queueFlags) {
      QueueSpec q = parseQueue(flag, type);
      if (!names.add(q.name())) {
        throw new ConfigException("--queue", flag, "queue " + q.name() + " is given twice");
      }
      queues.add(new QueueSpec(p + q.name(), q.bindings()));
    }
    return base.withQueues(queues);
  }

  static QueueSpec parseQueue(String flag, ExchangeType type) {
    String fix =
        ". Fix: --queue NAME=KEY[,KEY...], e.g. --queue cache="
            + (type == ExchangeType.TOPIC ? "video.*,sms.#" : "video.view,sms.send");
    int eq = flag.indexOf('=');
    String name = (eq < 0 ? flag : flag.substring(0, eq)).trim();
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw new ConfigException(
          "--queue", flag, "queue name must be 1-100 letters, digits, _ or -" + fix);
    }
    List<String> keys = new ArrayList<>();
    if (eq >= 0) {
      for (String k : flag.substring(eq + 1).split(",")) {
        if (!k.isBlank()) {
          keys.add(k.trim());
        }
      }
    }
    switch (type) {
      case FANOUT -> {
        // Fanout ignores binding keys: every queue gets every event.
      }
      case DIRECT -> {
        if (keys.isEmpty()) {
          throw new ConfigException("--queue", flag, "direct routing needs event types" + fix);
        }
        for (String k : keys) {
          if (EventType.fromWireName(k).isEmpty()) {
            throw new ConfigException(
                "--queue",
                flag,
                "'"
                    + k
                    + "' is not an event type (direct binds exact types: "
                    + String.join(", ", EventType.wireNames())
                    + ")"
                    + fix);
          }
        }
      }
      case TOPIC -> {
        if (keys.isEmpty()) {
          throw new ConfigException("--queue", flag, "topic routing needs patterns" + fix);
        }
        for (String k : keys) {
          for (String word : k.split("\\.", -1)) {
            if (!TOPIC_WORD.matcher(word).matches()) {
              throw new ConfigException(
                  "--queue",
                  flag,
                  "'" + k + "' is not a topic pattern (dot-separated words, * or #)" + fix);
            }
          }
        }
      }
    }
    return new QueueSpec(name, keys);
  }
}
