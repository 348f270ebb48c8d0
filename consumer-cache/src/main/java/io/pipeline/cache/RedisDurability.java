package io.pipeline.cache;

import io.pipeline.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.KeyValue;

/**
 * How the cache sink keeps its {@link Durability} on one Redis server, and the per-batch proof.
 *
 * <p>{@code host} needs the batch's effects fsynced before the ack. Redis ≥ 7.2 says so itself:
 * {@code WAITAOF 1 0 timeout} after the batch returns once the local AOF is fsynced up to this
 * connection's last write. Older servers (Debian's 7.0) have no WAITAOF, so the server must run
 * {@code appendonly yes} + {@code appendfsync always}: Redis then fsyncs the AOF before it sends
 * the replies of an event-loop pass (one fsync per pipelined batch, group commit). The sink checks
 * that with {@code CONFIG GET} at start, after every reconnect, and inside every batch's pipeline,
 * so a server switched back to {@code everysec} stops the acks at the next batch.
 */
record RedisDurability(Durability level, RedisDurability.Method method, String version) {
  /** How a level is kept on the server at hand. */
  enum Method {
    /** {@code process}: Redis replies after appending to its AOF (or keeps nothing, if off). */
    NONE("none"),
    /** {@code host} on Redis < 7.2: the server's {@code appendfsync always}, checked per batch. */
    AOF_ALWAYS("appendfsync always"),
    /** {@code host} on Redis ≥ 7.2: {@code WAITAOF 1 0} after each batch. */
    WAITAOF("WAITAOF");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** WAITAOF's wait for the fsync; below the client's socket timeout. */
  static final Duration WAITAOF_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Decides how {@code level} is kept on this server.
   *
   * @throws ConfigException when the server cannot keep it, naming the setting, the value found and
   *     the fix
   */
  static RedisDurability detect(UnifiedJedis redis, Durability level) {
    if (level == Durability.PROCESS) {
      return new RedisDurability(level, Method.NONE, null); // nothing to ask the server
    }
    String version = infoField(redis.info("server"), "redis_version");
    if (supportsWaitAof(version)) {
      String aof = infoField(redis.info("persistence"), "aof_enabled");
      if (!"1".equals(aof)) {
        throw refused("appendonly", "no", version);
      }
      return new RedisDurability(level, Method.WAITAOF, version);
    }
    Map<String, String> config;
    try {
      config =
          configMap(redis.sendCommand(Protocol.Command.CONFIG, "GET", "appendonly", "appendfsync"));
    } catch (JedisDataException ex) {
      throw new ConfigException(
          "Redis CONFIG GET appendfsync",
          ex.getMessage(),
          Durability.FLAG
              + " host cannot verify the fsync policy of Redis "
              + version
              + " (no WAITAOF before 7.2). Fix: allow CONFIG GET for this user (ACL SETUSER <user>"
              + " +config|get), or use Redis >= 7.2 (each batch is then proven with WAITAOF, no"
              + " CONFIG needed). On a managed Redis that allows neither, set its AOF policy to"
              + " 'always' in the provider's settings and run "
              + Durability.FLAG
              + " process: the worker cannot prove host durability there");
    }
    verifyConfig(config, version);
    return new RedisDurability(level, Method.AOF_ALWAYS, version);
  }

  @Override
  public String toString() {
    return method == Method.NONE
        ? level + " (acked once Redis replied; its appendfsync decides what a host crash keeps)"
        : level + " (" + method + ", Redis " + version + ")";
  }

  /** Redis ≥ 7.2 (also Valkey, which reports 7.2.x here) has WAITAOF. */
  static boolean supportsWaitAof(String version) {
    if (version == null) {
      return false;
    }
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 7 || (major == 7 && minor >= 2);
    } catch (NumberFormatException ex) {
      return false;
    }
  }

  /**
   * Appends what proves the batch durable to its pipeline (after its scripts, same connection);
   * {@link Proof#verify()} after {@code sync()}.
   */
  Proof append(AbstractPipeline p, String sampleKey) {
    return switch (method) {
      case NONE -> () -> {};
      case AOF_ALWAYS -> {
        Response<Object> r =
            p.sendCommand(Protocol.Command.CONFIG, "GET", "appendonly", "appendfsync");
        yield () -> verifyConfig(configMap(r.get()), version);
      }
      case WAITAOF -> {
        Response<KeyValue<Long, Long>> r = p.waitAOF(sampleKey, 1, 0, WAITAOF_TIMEOUT.toMillis());
        yield () -> {
          if (r.get().getKey() < 1) {
            throw new ConfigException(
                "Redis WAITAOF 1 0 " + WAITAOF_TIMEOUT.toMillis(),
                r.get().getKey(),
                "the AOF was not fsynced within "
                    + WAITAOF_TIMEOUT.toSeconds()
                    + " s; the batch is not acknowledged (retried). Fix: check the Redis disk"
                    + " and log");
          }
        };
      }
    };
  }

  /** Checks the batch's durability after the pipeline ran; throws when it is not proven. */
  @FunctionalInterface
  interface Proof {
    void verify();
  }

  static void verifyConfig(Map<String, String> config, String version) {
    String appendOnly = config.getOrDefault("appendonly", "?");
    if (!"yes".equalsIgnoreCase(appendOnly)) {
      throw refused("appendonly", appendOnly, version);
    }
    String fsync = config.getOrDefault("appendfsync", "?");
    if (!"always".equalsIgnoreCase(fsync)) {
      throw refused("appendfsync", fsync, version);
    }
  }

  private static ConfigException refused(String setting, String found, String version) {
    String fix =
        setting.equals("appendonly")
            ? "redis-cli CONFIG SET appendonly yes"
                + (supportsWaitAof(version) ? "" : " and CONFIG SET appendfsync always")
            : "redis-cli CONFIG SET appendfsync always";
    return new ConfigException(
        "Redis " + setting,
        found,
        Durability.FLAG
            + " host acknowledges an event only after Redis fsynced it"
            + (supportsWaitAof(version)
                ? ", which WAITAOF needs the append-only file for"
                : ", and Redis "
                    + version
                    + " has no WAITAOF (7.2+), so it needs appendonly yes"
                    + " and appendfsync always")
            + ". Fix: "
            + fix
            + " (and the same in redis.conf, or CONFIG REWRITE, so a restart keeps it), or run "
            + Durability.FLAG
            + " process");
  }

  /** CONFIG GET's reply: a flat name/value list (RESP2) or a map (RESP3). */
  static Map<String, String> configMap(Object reply) {
    Map<String, String> out = new HashMap<>();
    if (reply instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(text(k), text(v)));
    } else if (reply instanceof List<?> l) {
      for (int i = 0; i + 1 < l.size(); i += 2) {
        out.put(text(l.get(i)), text(l.get(i + 1)));
      }
    }
    return out;
  }

  static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }
}
