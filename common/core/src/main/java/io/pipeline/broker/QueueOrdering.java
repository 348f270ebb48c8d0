package io.pipeline.broker;

import io.pipeline.config.ConfigException;
import java.util.Locale;

/**
 * How a RabbitMQ sink queue keeps per-key order with several consumers (decision 0015). Kafka keeps
 * it by itself (keyed partitions, one consumer per partition); competing consumers of one quorum
 * queue do not.
 *
 * @param mode what is declared
 * @param queues {@link Mode#HASH}: how many queues the consistent-hash exchange spreads the keys
 *     over; 1 otherwise
 */
public record QueueOrdering(Mode mode, int queues) {

  /** The flag that sets it on a worker; named in every error. */
  public static final String FLAG = "--rabbit-ordering";

  /** Most queues behind one consistent-hash exchange. */
  public static final int MAX_QUEUES = 64;

  public static final QueueOrdering NONE = new QueueOrdering(Mode.NONE, 1);
  public static final QueueOrdering SINGLE_ACTIVE = new QueueOrdering(Mode.SINGLE_ACTIVE, 1);

  /** What is declared for a sink. */
  public enum Mode {
    /** Competing consumers on the sink's quorum queue: no per-key order. */
    NONE,
    /** {@code x-single-active-consumer}: one consumer at a time gets the queue, the rest wait. */
    SINGLE_ACTIVE,
    /** A consistent-hash exchange over {@code <sink>.h0..h<N-1>}, one consumer per queue. */
    HASH
  }

  public QueueOrdering {
    java.util.Objects.requireNonNull(mode, "mode");
    if (mode == Mode.HASH ? queues < 2 || queues > MAX_QUEUES : queues != 1) {
      throw new ConfigException(
          FLAG,
          id(mode, queues),
          "hash needs 2.." + MAX_QUEUES + " queues (e.g. hash:4); the other modes one queue");
    }
  }

  /** {@code hash:n}: the keys spread over n queues. */
  public static QueueOrdering hash(int queues) {
    return new QueueOrdering(Mode.HASH, queues);
  }

  /** As the flag writes it: {@code none}, {@code single-active}, {@code hash:4}. */
  public String id() {
    return id(mode, queues);
  }

  private static String id(Mode mode, int queues) {
    return switch (mode) {
      case NONE -> "none";
      case SINGLE_ACTIVE -> "single-active";
      case HASH -> "hash:" + queues;
    };
  }

  /**
   * The queue a worker consumes: the sink's own queue, or with {@link Mode#HASH} its hash queue
   * {@code index} ({@code <sink>.h<index>}, dead letters in {@code <sink>.h<index>.dlq}).
   */
  public QueueSpec consumed(QueueSpec sinkQueue, int index) {
    if (mode != Mode.HASH) {
      return sinkQueue;
    }
    if (index < 0 || index >= queues) {
      throw new ConfigException(
          "--hash-queue",
          index,
          "with " + FLAG + " " + id() + " a worker reads one of the queues 0.." + (queues - 1));
    }
    return new QueueSpec(hashQueueName(sinkQueue.name(), index), sinkQueue.bindings(), this);
  }

  /** The flag and value a child process is started with; none for {@link #NONE}. */
  public java.util.List<String> flags() {
    return mode == Mode.NONE ? java.util.List.of() : java.util.List.of(FLAG, id());
  }

  /** {@code <sink>.h<index>}. */
  public static String hashQueueName(String sinkQueue, int index) {
    return sinkQueue + ".h" + index;
  }

  /** Parses the flag's value: {@code none}, {@code single-active} or {@code hash:N}. */
  public static QueueOrdering parse(String setting, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    String fix =
        "expected none (competing consumers), single-active (x-single-active-consumer) or hash:N"
            + " (a consistent-hash exchange over N = 2.."
            + MAX_QUEUES
            + " queues, one worker per queue), e.g. "
            + FLAG
            + " hash:4";
    if (v.equals("none")) {
      return NONE;
    }
    if (v.equals("single-active")) {
      return SINGLE_ACTIVE;
    }
    if (v.startsWith("hash:")) {
      int n;
      try {
        n = Integer.parseInt(v.substring(5));
      } catch (NumberFormatException ex) {
        throw new ConfigException(setting, value, fix);
      }
      if (n >= 2 && n <= MAX_QUEUES) {
        return hash(n);
      }
    }
    throw new ConfigException(setting, value, fix);
  }
}
