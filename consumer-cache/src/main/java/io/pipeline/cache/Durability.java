package io.pipeline.cache;

import io.pipeline.config.Choice;
import io.pipeline.config.Choices;

/**
 * What an acknowledged effect survives (contract 2). {@code process}: a crash of the Redis process
 * (the script is in the AOF's page cache before Redis replies). {@code host}: a power loss or
 * kernel crash too (the AOF is fsynced before the worker acks). {@link #id()} is the name in the
 * flag, logs and the metric tag.
 */
public enum Durability implements Choice {
  PROCESS,
  HOST;

  public static final String FLAG = "--durability";

  public static Durability parse(String setting, String value) {
    return Choices.parse(
        setting,
        value,
        values(),
        "process (survives a Redis crash), host (fsync before the ack; survives a host crash)");
  }

  @Override
  public String toString() {
    return id();
  }
}
