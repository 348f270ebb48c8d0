package io.pipeline.cli.produce;

import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.cli.CommandRun;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.MalformedEventException;
import io.pipeline.producer.LoadRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process and reads back what reached a broker. */
final class ItSupport {
  private ItSupport() {}

  /** A finished in-process {@code produce}. */
  record Run(int exitCode, String out, String err, LoadRun.Result result) {}

  /** The topology of {@link #topicRunArgs}: two partitions behind a topic exchange. */
  static Topology topicTopology(String prefix) {
    return Topology.named(prefix, 2, ExchangeType.TOPIC);
  }

  /** The produce flags that write to {@link #topicTopology}, followed by {@code more}. */
  static String[] topicRunArgs(String prefix, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("--prefix", prefix, "--partitions", "2", "--exchange-type", "topic"));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  static Run produce(Map<String, String> env, String... args) {
    return produce(new ProduceCommand(env), args);
  }

  static Run produce(ProduceCommand cmd, String... args) {
    CommandRun r = CommandRun.of(cmd, args);
    return new Run(r.exitCode(), r.out(), r.err(), cmd.lastResult());
  }

  /**
   * Consumes (and acks) until {@code expected} messages arrived from the queue / group named {@code
   * sink}, then a short quiet period confirms no more come.
   */
  static List<Event> consume(
      BrokerKind kind, Endpoints endpoints, Topology topology, String sink, int expected) {
    List<Event> got = new ArrayList<>();
    try (Consumer c =
        Brokers.consumer(
            kind,
            endpoints,
            topology,
            ConsumerOptions.of("it-" + sink, topology.queueForSink(sink), 1000))) {
      await()
          .pollInSameThread()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                List<Delivery> batch = c.poll(1000, Duration.ofMillis(500));
                for (Delivery d : batch) {
                  got.add(EventCodec.decode(d.body()));
                }
                if (!batch.isEmpty()) {
                  c.ack(batch);
                }
                return got.size() >= expected;
              });
      // Nothing beyond what was expected.
      List<Delivery> extra = c.poll(1000, Duration.ofMillis(700));
      for (Delivery d : extra) {
        try {
          got.add(EventCodec.decode(d.body()));
        } catch (MalformedEventException ex) {
          throw new AssertionError("undecodable message on " + sink, ex);
        }
      }
    }
    return got;
  }
}
