package io.pipeline.cache;

import io.pipeline.config.Choices;

/**
 * What an acknowledged effect survives (contract 2). {@code process}: a crash of the Redis process
 * (the script is in the AOF's page cache before Redis replies). {@code host}: a power loss or
 * kernel crash too (the AOF is fsynced before the worker acks).
 */
public enum Durability {
  PROCESS("process"),
  HOST("host");

  public static final String FLAG = "--durability";

  private final String id;

  Durability(String id) {
    this.id = id;
  }

  /** Lower-case name used in the flag, logs and the metric tag. */
  public String id() {
    return id;
  }

  public static Durability parse(String setting, String value) {
    return Choices.parse(
        setting,
        value,
        values(),
        Durability::id,
        "process (survives a Redis crash), host (fsync before the ack; survives a host crash)");
  }

  @Override
  public String toString() {
    return id;
  }
}
