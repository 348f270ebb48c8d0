package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.doctor.DoctorCommand;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.ledger.Ledger;
import io.pipeline.producer.gen.EventGenerator;
import io.pipeline.producer.gen.EventMix;
import io.pipeline.producer.gen.WorkloadSpec;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.LaneOptions;
import io.pipeline.producer.lane.LaneStats;
import io.pipeline.producer.lane.Outcome;
import io.pipeline.stack.PrivateClusters;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both brokers as 3-node clusters on private ports (started by the test), the sinks of the shared
 * services: the real producer ({@code produce}, with a ledger) sends at a fixed rate with re-sent
 * duplicates to both while a warehouse and a cache worker per broker consume. The Kafka node that
 * leads the most partitions and the RabbitMQ node that leads the run's quorum queues are SIGKILLed
 * mid-run and started again later: every confirmed event must be in every sink exactly once, and
 * the restarted nodes back in sync. Then, on the same clusters, a Kafka publisher ({@code
 * acks=all}, through the producer's lane) with two of the three nodes down: every event is refused
 * with its reason (none confirmed, none silently dropped), and confirmed again once one node is
 * back. Prints the figures docs/durability.md quotes (publishing gaps, time to rejoin, load
 * average).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
  private static final int RATE = 40;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failure leaves the nodes' logs to read
  static Path dir;

  private static PrivateClusters clusters;

  @BeforeAll
  static void startClusters() {
    clusters = TestServices.startPrivateClusters(dir);
    System.out.printf(
        "[failover] clusters up in %d ms; load %s%n",
        clusters.startTime().toMillis(), PrivateClusters.loadAverage());
  }

  @AfterAll
  static void stopClusters() {
    if (clusters != null) {
      clusters.close();
    }
  }

  @Test
  @Order(1)
  void leadersKilledMidRunLoseAndDoubleNothingInAnySinkAndRejoin() throws Exception {
    assertThat(clusters.started()).allMatch(r -> r.state() == ServiceStatus.State.STARTED, "up");
    Endpoints endpoints = clusters.with(TestServices.shared());
    String prefix = TestServices.uniqueName("failover");
    Path ledgerFile = dir.resolve(prefix + ".ledger.csv");
    List<WorkerRunner> workers = new ArrayList<>();
    InProcess.Producer producer = null;
    try {
      for (BrokerKind b : BrokerKind.values()) {
        WorkerSettings settings = InProcess.settings(b, prefix, b.id());
        workers.add(InProcess.warehouse(settings, endpoints));
        workers.add(InProcess.cache(settings, endpoints));
      }
      producer =
          InProcess.Producer.start(
              endpoints.asEnv(),
              "--to",
              "kafka,rabbitmq",
              "--prefix",
              prefix,
              "--rate",
              Integer.toString(RATE),
              "--duplicate-ratio",
              "0.1",
              "--ledger",
              ledgerFile.toString(),
              "--confirm-timeout",
              "10s",
              "--retry-max-backoff",
              "1s",
              "--drain-timeout",
              "90s",
              "--no-progress");
      ConfirmGaps gaps = new ConfirmGaps(producer::liveStats);
      awaitConfirms(producer, Map.of(), 4 * RATE, Duration.ofMinutes(2));

      int kafkaVictim = clusters.kafkaLeaderOfMostPartitions();
      int rabbitVictim = clusters.rabbitLeaderOfMostQueues(prefix);
      Map<BrokerKind, Long> atKill = confirmed(producer);
      long killed = System.nanoTime();
      PrivateClusters.kill(clusters.kafka(kafkaVictim));
      PrivateClusters.kill(clusters.rabbit(rabbitVictim));
      System.out.printf(
          "[failover] SIGKILLed kafka-%d (led the most partitions) and rabbitmq-%d (led the"
              + " run's quorum queues) after %s confirms; load %s%n",
          kafkaVictim + 1, rabbitVictim + 1, atKill, PrivateClusters.loadAverage());
      awaitConfirms(producer, atKill, RATE, Duration.ofMinutes(2));
      Duration publishingAgain = Duration.ofNanos(System.nanoTime() - killed);
      assertDoctorNamesTheDeadNodes(endpoints, kafkaVictim, rabbitVictim);

      long restart = System.nanoTime();
      CompletableFuture<Void> kafka =
          CompletableFuture.runAsync(() -> clusters.kafka(kafkaVictim).start());
      CompletableFuture<Void> rabbit =
          CompletableFuture.runAsync(() -> clusters.rabbit(rabbitVictim).start());
      kafka.join();
      rabbit.join();
      Duration answering = Duration.ofNanos(System.nanoTime() - restart);
      clusters.await(
          "back in sync (ISR full, quorum members online)",
          () -> clusters.kafkaInSync() && clusters.rabbitInSync(prefix),
          Duration.ofMinutes(5));
      Duration inSync = Duration.ofNanos(System.nanoTime() - restart);
      awaitConfirms(producer, confirmed(producer), 2 * RATE, Duration.ofMinutes(1));

      int exitCode = producer.stop();
      gaps.close();
      assertThat(exitCode).as("every event confirmed by both brokers; " + producer.err()).isZero();
      Ledger ledger = Ledger.read(ledgerFile);
      Map<String, Delivery.Check> checks = awaitApplied(ledger, endpoints, prefix);
      System.out.printf(
          "[failover] longest gap without a confirm: kafka %d ms, rabbitmq %d ms; both confirmed"
              + " again %d ms after the kill; restarted nodes answered in %d ms, in sync %d ms"
              + " after the restart; %d distinct ids; load %s%n",
          gaps.longest(BrokerKind.KAFKA).toMillis(),
          gaps.longest(BrokerKind.RABBITMQ).toMillis(),
          publishingAgain.toMillis(),
          answering.toMillis(),
          inSync.toMillis(),
          ledger.distinctIds(),
          PrivateClusters.loadAverage());
      checks.forEach(
          (path, c) -> {
            Delivery d = c.delivery();
            System.out.printf("[failover] %-18s %s%n", path, d);
            assertThat(d.confirmed()).as(path + " confirmed").isPositive();
            assertThat(d.lost()).as(path + " lost").isZero();
            assertThat(d.doubled()).as(path + " doubled").isZero();
            assertThat(d.unexpected()).as(path + " unexpected").isZero();
            assertThat(c.verdicts()).as(path).allMatch(Verdict::passed);
          });
      assertThat(checks).hasSize(4);
    } finally {
      if (producer != null && !producer.isDone()) {
        producer.stop(); // a failed assertion above: drain and end it
      }
      workers.forEach(WorkerRunner::close);
    }
  }

  @Test
  @Order(2)
  void ackAllWithTwoKafkaNodesDownIsRefusedPerEventAndConfirmedAgainWhenOneReturns()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      clusters.kafka(i).start(); // a no-op for a running node
    }
    clusters.await("Kafka in sync", clusters::kafkaInSync, Duration.ofMinutes(2));
    Endpoints endpoints = clusters.endpoints();
    Topology topology = Topology.named(TestServices.uniqueName("acksall"), 3, ExchangeType.TOPIC);
    Brokers.declare(BrokerKind.KAFKA, endpoints, topology);
    EventGenerator events =
        new EventGenerator(
            new WorkloadSpec(
                7, EventMix.parse("--mix", EventMix.DEFAULT), 100, 1.1, 1000, 100, 0, 0),
            new Random(7));
    List<Sent> confirmedIds = new ArrayList<>();
    try (BrokerLane lane =
        new BrokerLane(
            Brokers.publisher(
                BrokerKind.KAFKA,
                endpoints,
                topology,
                PublisherOptions.defaults("acks-all-it").withConfirmTimeout(Duration.ofSeconds(4))),
            () -> Brokers.declare(BrokerKind.KAFKA, endpoints, topology),
            new LaneOptions(10_000, Duration.ofMillis(100), Duration.ofMillis(500)),
            new SimpleMeterRegistry(),
            null)) {
      List<Sent> before = Sent.offer(lane, events, 10, Duration.ofSeconds(30));
      assertThat(Sent.outcomes(before)).allMatch(Outcome::confirmed, "confirmed on 3 nodes");
      confirmedIds.addAll(before);

      PrivateClusters.kill(clusters.kafka(1));
      PrivateClusters.kill(clusters.kafka(2));
      long killed = System.nanoTime();
      List<Outcome> refused = Sent.outcomes(Sent.offer(lane, events, 20, Duration.ofSeconds(4)));
      System.out.printf(
          "[acks=all] two of three nodes down: %d events refused (%s), e.g. %s; load %s%n",
          refused.stream().filter(o -> !o.confirmed()).count(),
          refused.stream().map(Outcome::reason).distinct().toList(),
          refused.get(0).detail(),
          PrivateClusters.loadAverage());
      assertThat(refused)
          .as("not confirmed, and each event's failure reported with its reason")
          .hasSize(20)
          .allMatch(o -> !o.confirmed() && o.reason() != null && o.detail() != null);

      long restart = System.nanoTime();
      clusters.kafka(1).start();
      Duration answering = Duration.ofNanos(System.nanoTime() - restart);
      List<Sent> after = Sent.offer(lane, events, 20, Duration.ofMinutes(2));
      assertThat(Sent.outcomes(after))
          .as("confirmed again with two of three nodes up")
          .allMatch(Outcome::confirmed);
      confirmedIds.addAll(after);
      long firstConfirm = after.stream().mapToLong(Sent::doneNanos).min().orElseThrow();
      clusters.kafka(2).start();
      Duration inSync =
          clusters.await("Kafka in sync", clusters::kafkaInSync, Duration.ofMinutes(2));
      System.out.printf(
          "[acks=all] publishing refused for %d ms (kill to the first confirm); the restarted"
              + " node answered in %d ms, the first confirm %d ms after its restart; all three in"
              + " sync %d ms after the last restart; load %s%n",
          (firstConfirm - killed) / 1_000_000,
          answering.toMillis(),
          (firstConfirm - restart) / 1_000_000,
          inSync.toMillis(),
          PrivateClusters.loadAverage());
    }
    Set<String> confirmedSet = new HashSet<>(confirmedIds.stream().map(Sent::id).toList());
    assertThat(Sent.inTopic(endpoints, topology, confirmedSet))
        .as("every confirmed event is in the topic")
        .containsAll(confirmedSet);
  }

  /** One event offered to a lane, with when its outcome came. */
  private record Sent(String id, CompletableFuture<Outcome> outcome, AtomicLong done) {
    long doneNanos() {
      return done.get();
    }

    /** Offers {@code n} events 250 ms apart, each to be confirmed within {@code deadline}. */
    static List<Sent> offer(BrokerLane lane, EventGenerator events, int n, Duration deadline)
        throws InterruptedException {
      List<Sent> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Event e = events.next(0).event();
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        AtomicLong at = new AtomicLong(Long.MAX_VALUE);
        f.thenRun(() -> at.set(System.nanoTime()));
        lane.offer(new BrokerLane.Item(e, false, System.nanoTime() + deadline.toNanos(), f));
        sent.add(new Sent(e.id().toString(), f, at));
        Thread.sleep(250);
      }
      return sent;
    }

    static List<Outcome> outcomes(List<Sent> sent) throws Exception {
      List<Outcome> out = new ArrayList<>();
      for (Sent s : sent) {
        out.add(s.outcome().get(3, TimeUnit.MINUTES));
      }
      return out;
    }

    /**
     * The ids a new group reads from the topic's beginning (until all {@code expected}, or 60 s).
     */
    static Set<String> inTopic(Endpoints endpoints, Topology topology, Set<String> expected)
        throws Exception {
      Set<String> ids = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try (Consumer c =
          Brokers.consumer(
              BrokerKind.KAFKA,
              endpoints,
              topology,
              new ConsumerOptions(
                  "acks-all-check", topology.queueForSink(Topology.WAREHOUSE), 500, true))) {
        while (!ids.containsAll(expected) && System.nanoTime() < deadline) {
          List<io.pipeline.broker.Delivery> batch = c.poll(500, Duration.ofSeconds(1));
          for (io.pipeline.broker.Delivery d : batch) {
            ids.add(EventCodec.decode(d.body()).id().toString());
          }
          if (!batch.isEmpty()) {
            c.ack(batch);
          }
        }
      }
      return ids;
    }
  }

  /**
   * {@code doctor} on the clusters with a node of each dead: a failing row per dead node with the
   * fix, and Kafka's partitions under-replicated (the dead broker is fenced by now).
   */
  private static void assertDoctorNamesTheDeadNodes(
      Endpoints endpoints, int kafkaVictim, int rabbitVictim) {
    CommandRun doctor = CommandRun.of(new DoctorCommand(endpoints::asEnv), "--timeout", "10s");
    System.out.print(doctor.out());
    String kafkaDead = endpoints.kafkaBootstrap().split(",")[kafkaVictim];
    String rabbitDead = endpoints.rabbitAddresses().get(rabbitVictim);
    assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isEqualTo(1);
    assertThat(doctor.out().lines())
        .anyMatch(l -> l.startsWith("kafka ") && l.contains(kafkaDead + " ") && l.contains("FAIL"))
        .anyMatch(l -> l.startsWith("kafka ") && l.contains("FAIL: under-replicated"))
        .anyMatch(l -> l.startsWith("rabbitmq ") && l.contains(rabbitDead) && l.contains("FAIL"))
        .filteredOn(l -> l.contains("fix: start that node again"))
        .hasSize(2);
    assertThat(doctor.out().lines().filter(l -> l.contains(" OK")).count())
        .as("the live nodes (2 + 2), Redis and PostgreSQL pass")
        .isGreaterThanOrEqualTo(6);
  }

  /** Waits until each lane confirmed {@code more} events beyond {@code since}. */
  private static void awaitConfirms(
      InProcess.Producer producer, Map<BrokerKind, Long> since, long more, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Map<BrokerKind, Long> now = confirmed(producer);
      if (now.size() == 2
          && now.entrySet().stream()
              .allMatch(e -> e.getValue() >= since.getOrDefault(e.getKey(), 0L) + more)) {
        return;
      }
      assertThat(System.nanoTime())
          .as(
              "%d more confirms per broker than %s within %s: %s; %s%s",
              more, since, max, now, lanes(producer), publisherThreads())
          .isLessThan(deadline);
      assertThat(producer.isDone()).as("producer ended early: " + producer.err()).isFalse();
      Thread.sleep(100);
    }
  }

  /** Where the producer's lane and publisher threads are, for failure messages. */
  private static String publisherThreads() {
    StringBuilder sb = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (t, stack) -> {
              if (t.getName().startsWith("lane-") || t.getName().startsWith("rabbit-publisher")) {
                sb.append("\n").append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                  sb.append("\n    at ").append(stack[i]);
                }
              }
            });
    return sb.toString();
  }

  /** Each lane's failures by reason and retries, for failure messages. */
  private static String lanes(InProcess.Producer producer) {
    StringBuilder sb = new StringBuilder();
    producer
        .liveStats()
        .forEach(
            (b, s) ->
                sb.append(b)
                    .append(": failed ")
                    .append(s.failedByReason())
                    .append(", retries ")
                    .append(s.retries())
                    .append("; "));
    return sb.toString();
  }

  private static Map<BrokerKind, Long> confirmed(InProcess.Producer producer) {
    Map<BrokerKind, Long> out = new EnumMap<>(BrokerKind.class);
    producer.liveStats().forEach((b, s) -> out.put(b, s.confirmed()));
    return out;
  }

  /**
   * Every broker × sink path checked with the {@code verify} command's verifiers, once no path
   * misses a confirmed id any more (the workers catch up after the failover) or after 3 minutes.
   */
  private static Map<String, Delivery.Check> awaitApplied(
      Ledger ledger, Endpoints endpoints, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      Map<String, Delivery.Check> checks = new LinkedHashMap<>();
      for (BrokerKind b : BrokerKind.values()) {
        for (Map.Entry<String, SinkVerifier> v : Verifiers.all().entrySet()) {
          checks.put(
              b.id() + "/" + v.getKey(),
              v.getValue().check(ledger, new SinkVerifier.Target(endpoints, prefix, b.id(), b)));
        }
      }
      boolean caughtUp = checks.values().stream().allMatch(c -> c.delivery().lost() == 0);
      if (caughtUp || System.nanoTime() > deadline) {
        return checks;
      }
      Thread.sleep(2_000);
    }
  }

  /**
   * Samples each lane's confirmed count every 100 ms and keeps the longest stretch without a new
   * confirm: how long publishing to that broker was refused.
   */
  private static final class ConfirmGaps implements AutoCloseable {
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "confirm-gaps");
              t.setDaemon(true);
              return t;
            });
    private final Map<BrokerKind, long[]> last = new EnumMap<>(BrokerKind.class);
    private final Map<BrokerKind, Long> longest = new EnumMap<>(BrokerKind.class);

    ConfirmGaps(Supplier<Map<BrokerKind, LaneStats>> stats) {
      timer.scheduleAtFixedRate(() -> sample(stats.get()), 0, 100, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample(Map<BrokerKind, LaneStats> stats) {
      long now = System.nanoTime();
      stats.forEach(
          (b, s) -> {
            long n = s.confirmed();
            long[] seen = last.get(b);
            if (seen == null) {
              if (n > 0) { // gaps count from the first confirm, not from the lane's start-up
                last.put(b, new long[] {n, now});
              }
            } else if (n > seen[0]) {
              longest.merge(b, now - seen[1], Math::max);
              seen[0] = n;
              seen[1] = now;
            }
          });
    }

    synchronized Duration longest(BrokerKind b) {
      return Duration.ofNanos(longest.getOrDefault(b, 0L));
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
