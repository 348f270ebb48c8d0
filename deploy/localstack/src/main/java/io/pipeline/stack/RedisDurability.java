package io.pipeline.stack;

import java.util.Locale;

/**
 * How durable a Redis the stack starts is: {@code process} = AOF with {@code appendfsync everysec}
 * (survives a Redis crash; a host crash can lose ~1 s), {@code host} = AOF with {@code appendfsync
 * always} (fsync before each reply; what {@code consume cache --durability host} needs on Redis
 * before 7.2).
 */
public enum RedisDurability {
  PROCESS("process", "everysec"),
  HOST("host", "always");

  private final String id;
  private final String appendFsync;

  RedisDurability(String id, String appendFsync) {
    this.id = id;
    this.appendFsync = appendFsync;
  }

  public String id() {
    return id;
  }

  /** The {@code appendfsync} value the server runs with. */
  public String appendFsync() {
    return appendFsync;
  }

  public static RedisDurability parse(String setting, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (RedisDurability d : values()) {
      if (d.id.equals(v)) {
        return d;
      }
    }
    throw new StackException(
        "Invalid value '"
            + value
            + "' for "
            + setting
            + ": expected process (appendfsync everysec) or host (appendfsync always)");
  }

  @Override
  public String toString() {
    return id;
  }
}
