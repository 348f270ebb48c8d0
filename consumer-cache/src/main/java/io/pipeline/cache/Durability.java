package io.pipeline.cache;

import io.pipeline.config.ConfigException;
import java.util.Locale;

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
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (Durability d : values()) {
      if (d.id.equals(v)) {
        return d;
      }
    }
    throw new ConfigException(
        setting,
        value,
        "expected one of: process (survives a Redis crash), host (fsync before the ack; survives"
            + " a host crash)");
  }

  @Override
  public String toString() {
    return id;
  }
}
