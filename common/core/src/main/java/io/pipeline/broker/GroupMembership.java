package io.pipeline.broker;

import io.pipeline.config.ConfigException;
import java.util.Locale;
import java.util.Optional;

/**
 * How a Kafka consumer joins its group (RabbitMQ ignores it): the group protocol, and the static
 * member name that lets a restarted worker take back its partitions without a rebalance.
 *
 * @param protocol {@link Protocol#CLASSIC}: the client-side rebalance protocol, with the worker's
 *     10 s session timeout; {@link Protocol#CONSUMER}: KIP-848, the broker assigns and times out
 *     the members ({@code group.consumer.session.timeout.ms} on the broker)
 * @param instanceId {@code group.instance.id} (static membership); empty: a dynamic member
 */
public record GroupMembership(Protocol protocol, Optional<String> instanceId) {
  /** The Kafka group protocol ({@code group.protocol}). */
  public enum Protocol {
    CLASSIC,
    CONSUMER;

    /** {@code classic} or {@code consumer}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code classic} or {@code consumer}; the fix names {@code setting}. */
    public static Protocol parse(String setting, String value) {
      for (Protocol p : values()) {
        if (p.id().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new ConfigException(setting, value, "unknown group protocol. Fix: classic or consumer");
    }
  }

  /** The default: the classic protocol, a dynamic member. */
  public static final GroupMembership DEFAULT =
      new GroupMembership(Protocol.CLASSIC, Optional.empty());

  public GroupMembership {
    if (protocol == null) {
      throw new IllegalArgumentException("protocol");
    }
    instanceId = instanceId == null ? Optional.empty() : instanceId;
    if (instanceId.isPresent() && instanceId.get().isBlank()) {
      throw new ConfigException(
          "group.instance.id", "", "blank. Fix: a name that survives the worker's restarts");
    }
  }

  /** Whether the member is static (keeps its partitions across a restart within the session). */
  public boolean isStatic() {
    return instanceId.isPresent();
  }
}
