package io.pipeline.experiment.takeover;

import io.pipeline.broker.BrokerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The experiment's three runs on the default stack, each with two workers of one sink per broker,
 * and the SIGKILLs each holds. The Kafka group setting is the workers' environment for a whole run,
 * so variants that share one run are those with the same setting: RabbitMQ rides along with the
 * classic protocol; the static run first restarts each killed member at once (it resumes its own
 * partitions), then keeps it down longer than the session (the survivor takes over).
 *
 * @param name the run's name ({@code takeover-classic}, ...)
 * @param protocol the Kafka workers' {@code --kafka-group-protocol}
 * @param staticMembership the Kafka workers' {@code --kafka-static-membership}
 * @param brokers brokers of the run
 * @param seconds how long the producer runs
 * @param kills the SIGKILLs, in time order
 */
record TakeoverPlan(
    String name,
    String protocol,
    boolean staticMembership,
    List<BrokerKind> brokers,
    int seconds,
    List<Kill> kills) {

  /** Seconds of steady state before the first kill: its median is the baseline. */
  static final int FIRST_KILL = 10;

  /** Seconds a Kafka member stays down when the survivor must take over (10 s session + 4). */
  static final int KAFKA_DOWN = 14;

  /** Seconds between two Kafka kills: the takeover, the restart and its rebalance settle. */
  static final int KAFKA_CYCLE = 24;

  /**
   * Seconds a consumer-protocol member stays down: the broker's session rules, 10 s on a stack
   * broker started with this setting, 45 s (Kafka's default) on one started before; the window
   * holds either.
   */
  static final int CONSUMER_DOWN = 52;

  /** Seconds a RabbitMQ consumer stays down (the broker requeues at once). */
  static final int RABBIT_DOWN = 4;

  /**
   * One planned SIGKILL.
   *
   * @param variant the variant it measures
   * @param worker index (from 1) of the worker of the sink killed
   * @param restartAfter seconds until the killed worker starts again
   * @param window seconds after the kill that must hold the takeover
   */
  record Kill(
      String variant, BrokerKind broker, int second, int worker, int restartAfter, int window) {}

  /** The three runs. */
  static List<TakeoverPlan> all() {
    List<Kill> classic = new ArrayList<>(kafka("kafka-classic", 0, 3, KAFKA_DOWN, KAFKA_CYCLE));
    for (int i = 0; i < 3; i++) {
      classic.add(
          new Kill(
              "rabbitmq", BrokerKind.RABBITMQ, 22 + i * KAFKA_CYCLE, 1 + i % 2, RABBIT_DOWN, 4));
    }
    classic.sort(java.util.Comparator.comparingInt(Kill::second));
    List<Kill> statics = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      statics.add(
          new Kill("kafka-static-restart", BrokerKind.KAFKA, FIRST_KILL + i * 12, 2 - i, 0, 12));
    }
    statics.addAll(kafka("kafka-static", 1, 2, KAFKA_DOWN, KAFKA_CYCLE));
    List<BrokerKind> kafka = List.of(BrokerKind.KAFKA);
    int length = FIRST_KILL + 3 * KAFKA_CYCLE - 2;
    List<Kill> consumer =
        kafka("kafka-consumer-protocol", 0, 2, CONSUMER_DOWN, CONSUMER_DOWN + KAFKA_CYCLE - 16);
    return List.of(
        new TakeoverPlan(
            "takeover-classic",
            "classic",
            false,
            List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ),
            length,
            classic),
        new TakeoverPlan("takeover-static", "classic", true, kafka, length, statics),
        new TakeoverPlan(
            "takeover-consumer",
            "consumer",
            false,
            kafka,
            consumer.get(1).second() + CONSUMER_DOWN + 2,
            consumer));
  }

  /**
   * {@code n} Kafka kills {@code cycle} seconds apart, from cycle {@code from}, alternating the two
   * workers, each kept down {@code down} seconds (the window).
   */
  private static List<Kill> kafka(String variant, int from, int n, int down, int cycle) {
    List<Kill> kills = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      kills.add(new Kill(variant, BrokerKind.KAFKA, FIRST_KILL + i * cycle, 1 + i % 2, down, down));
    }
    return kills;
  }

  private static final Map<String, String> MEASURES =
      Map.of(
          "kafka-classic",
          "classic protocol, dynamic members, session.timeout.ms 10 s: the killed member is"
              + " expired after its session, the group rebalances, the survivor applies its"
              + " partitions",
          "kafka-static",
          "classic protocol, static members (group.instance.id), the killed member down 14 s:"
              + " no rebalance until its session (10 s) expires, then the survivor applies its"
              + " partitions",
          "kafka-static-restart",
          "classic protocol, static members, the killed member started again at once with its"
              + " group.instance.id: no rebalance; it resumes its own partitions (JVM start and"
              + " rejoin within the 10 s session)",
          "kafka-consumer-protocol",
          "group.protocol=consumer (KIP-848): the broker fences the killed member after its"
              + " group.consumer.session.timeout.ms (10 s on the stack's broker, 45 s by default)"
              + " and assigns its partitions to the survivor, no group-wide rebalance",
          "rabbitmq",
          "quorum queue, two competing consumers: the broker requeues the killed connection's"
              + " unacked messages when the socket closes; the survivor applies them");

  /** What the figure of {@code variant} is, in words. */
  static String measures(String variant) {
    return MEASURES.get(variant);
  }

  /** The workers' environment for the run's Kafka group setting. */
  Map<String, String> env() {
    return Map.of(
        "PIPELINE_KAFKA_GROUP_PROTOCOL",
        protocol,
        "PIPELINE_KAFKA_STATIC_MEMBERSHIP",
        Boolean.toString(staticMembership));
  }

  /** The variants this run measures, in the order of the report's table. */
  List<String> variants() {
    return kills.stream().map(Kill::variant).distinct().toList();
  }
}
