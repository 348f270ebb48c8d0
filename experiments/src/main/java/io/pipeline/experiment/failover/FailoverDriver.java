package io.pipeline.experiment.failover;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.results.ChaosResults;
import io.pipeline.experiment.run.FaultDriver;
import io.pipeline.lifecycle.DaemonThreads;
import io.pipeline.stack.PrivateClusters;
import io.pipeline.stack.ServiceNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Hits each broker's leading node at the plan's seconds: the Kafka node that leads the most
 * partitions, the RabbitMQ node that leads the most quorum queues; SIGKILL or a graceful stop,
 * start again after the plan's {@code down}, then waits until every replica is in sync. Each broker
 * on a thread of its own, so a slow {@code rabbitmqctl} never holds up the run's clock or the other
 * broker. Every step is recorded with its wall-clock time ({@link Hit}); the figures are computed
 * after the run ({@link FailoverFigures}).
 */
public final class FailoverDriver implements FaultDriver {
  private static final Duration IN_SYNC_LIMIT = Duration.ofMinutes(5);

  /** What one phase did to one broker; times are epoch ms, 0 while not (yet) reached. */
  static final class Hit {
    final BrokerKind broker;
    final FailoverPlan.Mode mode;
    final int at;
    volatile String node = "?";
    volatile long faultMillis;
    volatile long restartMillis;
    volatile long answeredMillis;
    volatile long inSyncMillis;
    volatile String problem = "";

    Hit(BrokerKind broker, FailoverPlan.Mode mode, int at) {
      this.broker = broker;
      this.mode = mode;
      this.at = at;
    }
  }

  private final PrivateClusters clusters;
  private final FailoverPlan plan;
  private final List<BrokerKind> brokers;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final List<Future<?>> running = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> news = new ConcurrentLinkedQueue<>();
  private final ExecutorService pool = DaemonThreads.pool("failover-driver-");
  private volatile long startMillis;
  private int fired;
  private boolean waitingSaid;

  public FailoverDriver(PrivateClusters clusters, FailoverPlan plan, List<BrokerKind> brokers) {
    this.clusters = clusters;
    this.plan = plan;
    this.brokers = List.copyOf(brokers);
  }

  @Override
  public void tick(int second, RunControl control) {
    if (startMillis == 0) {
      startMillis = System.currentTimeMillis() - second * 1000L;
    }
    // A loaded machine's clock may skip seconds: a phase fires at its second or the first after,
    // and only once the nodes of the phase before are back in sync, so faults never overlap.
    while (fired < plan.phases().size()
        && plan.phases().get(fired).at() <= second
        && previousPhaseOver(second, control)) {
      FailoverPlan.Phase p = plan.phases().get(fired++);
      waitingSaid = false;
      for (BrokerKind b : brokers) {
        Hit h = new Hit(b, p.mode(), second);
        hits.add(h);
        running.add(pool.submit(() -> hit(h)));
      }
    }
    String line;
    while ((line = news.poll()) != null) {
      control.narrate(second, line);
    }
  }

  private boolean previousPhaseOver(int second, RunControl control) {
    boolean over = hits.stream().allMatch(h -> h.inSyncMillis != 0 || !h.problem.isEmpty());
    if (!over && !waitingSaid) {
      waitingSaid = true;
      control.narrate(second, "the next fault waits until the restarted nodes are in sync");
    }
    return over;
  }

  private void hit(Hit h) {
    try {
      int i =
          h.broker == BrokerKind.KAFKA
              ? clusters.kafkaLeaderOfMostPartitions()
              : clusters.rabbitLeaderOfMostQueues("");
      ServiceNode node = h.broker == BrokerKind.KAFKA ? clusters.kafka(i) : clusters.rabbit(i);
      h.node = clusters.nodeName(h.broker, i);
      h.faultMillis = System.currentTimeMillis();
      if (h.mode == FailoverPlan.Mode.KILL) {
        PrivateClusters.kill(node);
      } else {
        node.stop();
      }
      news.add(
          String.format(
              Locale.ROOT,
              "%s: %s of %s (%s), done in %.1f s",
              h.broker.id(),
              h.mode.text,
              h.node,
              h.broker == BrokerKind.KAFKA
                  ? "led the most partitions"
                  : "led the most quorum queues",
              (System.currentTimeMillis() - h.faultMillis) / 1000.0));
      Thread.sleep(
          Math.max(0, h.faultMillis + plan.down().toMillis() - System.currentTimeMillis()));
      h.restartMillis = System.currentTimeMillis();
      node.start();
      h.answeredMillis = System.currentTimeMillis();
      BooleanSupplier inSync =
          h.broker == BrokerKind.KAFKA ? clusters::kafkaInSync : () -> clusters.rabbitInSync("");
      clusters.await(h.broker.id() + " in sync", inSync, IN_SYNC_LIMIT);
      h.inSyncMillis = System.currentTimeMillis();
      news.add(
          String.format(
              Locale.ROOT,
              "%s: %s back, answering %.1f s and in sync %.1f s after its restart",
              h.broker.id(),
              h.node,
              (h.answeredMillis - h.restartMillis) / 1000.0,
              (h.inSyncMillis - h.restartMillis) / 1000.0));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      h.problem = "interrupted";
    } catch (Exception ex) {
      h.problem = String.valueOf(ex.getMessage());
      news.add(h.broker.id() + ": " + h.mode.text + " went wrong: " + h.problem);
    }
  }

  @Override
  public boolean down(BrokerKind broker) {
    return false; // a cluster keeps serving with one node down
  }

  @Override
  public void awaitRecovered() throws Exception {
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
  }

  @Override
  public void finish(RunRecord record) throws Exception {
    FailoverFigures figures = new FailoverFigures(record);
    List<io.pipeline.experiment.results.FailoverResults.Figures> rows = new ArrayList<>();
    for (Hit h : hits) {
      rows.add(figures.of(h));
    }
    record.outcome().failover =
        new io.pipeline.experiment.results.FailoverResults(timeline(record.startMillis()), rows);
  }

  /** The hits as faults for the report's charts (seconds since the run started). */
  List<ChaosResults.Fault> timeline(long runStartMillis) {
    List<ChaosResults.Fault> out = new ArrayList<>();
    for (Hit h : hits) {
      double at = h.faultMillis == 0 ? h.at : (h.faultMillis - runStartMillis) / 1000.0;
      Double back = h.inSyncMillis == 0 ? null : (h.inSyncMillis - runStartMillis) / 1000.0;
      String note =
          h.problem.isEmpty()
              ? String.format(
                  Locale.ROOT,
                  "restarted after %d s; answering %.1f s later, in sync %.1f s later",
                  plan.down().toSeconds(),
                  (h.answeredMillis - h.restartMillis) / 1000.0,
                  (h.inSyncMillis - h.restartMillis) / 1000.0)
              : h.problem;
      out.add(
          new ChaosResults.Fault(
              (int) Math.round(at),
              h.mode.id(),
              h.node,
              (int) plan.down().toSeconds(),
              back,
              note));
    }
    return out;
  }

  List<Hit> hits() {
    return hits;
  }
}
