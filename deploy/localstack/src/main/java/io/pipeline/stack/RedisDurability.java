package io.pipeline.stack;

import io.pipeline.config.Choice;
import io.pipeline.config.Choices;
import io.pipeline.config.ConfigException;

/**
 * How durable a Redis the stack starts is: {@code process} = AOF with {@code appendfsync everysec}
 * (survives a Redis crash; a host crash can lose ~1 s), {@code host} = AOF with {@code appendfsync
 * always} (fsync before each reply; what {@code consume cache --durability host} needs on Redis
 * before 7.2).
 */
public enum RedisDurability implements Choice {
  PROCESS("everysec"),
  HOST("always");

  private final String appendFsync;

  RedisDurability(String appendFsync) {
    this.appendFsync = appendFsync;
  }

  /** The {@code appendfsync} value the server runs with. */
  public String appendFsync() {
    return appendFsync;
  }

  /** The error is a {@link StackException} (what {@code stack} prints as one line). */
  public static RedisDurability parse(String setting, String value) {
    try {
      return Choices.parse(
          setting, value, values(), "process (appendfsync everysec), host (appendfsync always)");
    } catch (ConfigException e) {
      throw new StackException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return id();
  }
}
