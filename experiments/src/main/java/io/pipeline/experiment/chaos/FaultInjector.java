package io.pipeline.experiment.chaos;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.chaos.ChaosFault.BrokerRestart;
import io.pipeline.experiment.chaos.ChaosFault.JoinWorker;
import io.pipeline.experiment.chaos.ChaosFault.KillProducer;
import io.pipeline.experiment.chaos.ChaosFault.KillWorker;
import io.pipeline.experiment.chaos.ChaosFault.LeaveWorker;
import io.pipeline.experiment.chaos.ChaosFault.SinkOutage;
import io.pipeline.experiment.results.ChaosResults.Fault;
import io.pipeline.experiment.run.FaultDriver;
import io.pipeline.lifecycle.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a {@link FaultPlan} on a running scenario: process faults on the run's thread at
 * their second; a service outage (sink store or broker) on a thread of its own, since stopping and
 * starting a server takes seconds and other faults must keep their time meanwhile. Records what
 * actually happened, including when each service answered again.
 */
public final class FaultInjector implements FaultDriver {
  private final List<ChaosFault> plan;
  private final ChaosServices services;
  private final List<ChaosFault> pending;
  private final Map<ChaosFault, Fault> records = new ConcurrentHashMap<>();
  private final Set<String> downServices = ConcurrentHashMap.newKeySet();
  private final Queue<String> news = new ConcurrentLinkedQueue<>();
  private final List<Future<?>> outages = new ArrayList<>();
  private final ExecutorService pool;
  private volatile long t0 = -1;

  public FaultInjector(List<ChaosFault> plan, ChaosServices services) {
    this.plan = List.copyOf(plan);
    this.pending = new ArrayList<>(plan);
    this.services = services;
    this.pool = DaemonThreads.pool("chaos-outage-");
  }

  @Override
  public void tick(int second, RunControl control) throws Exception {
    if (t0 < 0) {
      t0 = System.nanoTime() - second * 1_000_000_000L;
    }
    for (var it = pending.iterator(); it.hasNext(); ) {
      ChaosFault f = it.next();
      if (f.at() > second) {
        continue;
      }
      it.remove();
      String note = inject(f, control);
      record(
          f,
          f instanceof SinkOutage || f instanceof BrokerRestart ? null : (double) second + f.down(),
          note);
      control.narrate(
          second,
          String.format(
              "CHAOS %s %s%s%s",
              f.kind(),
              f.target(),
              f.down() > 0 ? " for " + f.down() + " s" : "",
              note.isEmpty() ? "" : " (" + note + ")"));
    }
    for (String line; (line = news.poll()) != null; ) {
      control.narrate(second, line);
    }
  }

  private String inject(ChaosFault f, RunControl control) throws Exception {
    if (f instanceof KillWorker k) {
      return control.killWorker(k.target(), k.down()) ? "" : "skipped: not running";
    }
    if (f instanceof LeaveWorker l) {
      return control.leaveWorker(l.target(), l.down()) ? "" : "skipped: not running";
    }
    if (f instanceof JoinWorker j) {
      return "joined as " + control.addWorker(j.broker(), j.sink());
    }
    if (f instanceof KillProducer p) {
      return control.killProducer(p.down()) ? "" : "skipped: not running";
    }
    if (f instanceof SinkOutage o) {
      return outage(f, o.target());
    }
    if (f instanceof BrokerRestart b) {
      return outage(f, ChaosServices.serviceOf(b.broker()));
    }
    throw new IllegalArgumentException("unknown fault " + f);
  }

  /** Stops {@code service} now and starts it again at the fault's end, off the run's thread. */
  private String outage(ChaosFault f, String service) {
    downServices.add(service);
    outages.add(
        pool.submit(
            () -> {
              try {
                services.stop(service);
                long until = t0 + f.end() * 1_000_000_000L;
                long wait = until - System.nanoTime();
                if (wait > 0) {
                  TimeUnit.NANOSECONDS.sleep(wait);
                }
                services.start(service);
                double back = (System.nanoTime() - t0) / 1e9;
                record(f, back, "");
                news.add(String.format(java.util.Locale.ROOT, "CHAOS %s answers again", service));
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException ex) {
                record(f, null, "failed: " + ex.getMessage());
                news.add("CHAOS " + service + " could not be restarted: " + ex.getMessage());
              } finally {
                downServices.remove(service);
              }
              return null;
            }));
    return "";
  }

  private void record(ChaosFault f, Double recoveredAt, String note) {
    records.merge(
        f,
        new Fault(f.at(), f.kind(), f.target(), f.down(), recoveredAt, note),
        (old, now) ->
            new Fault(
                f.at(),
                f.kind(),
                f.target(),
                f.down(),
                now.recoveredAt() != null ? now.recoveredAt() : old.recoveredAt(),
                now.note().isEmpty() ? old.note() : now.note()));
  }

  @Override
  public boolean down(BrokerKind broker) {
    return downServices.contains(ChaosServices.serviceOf(broker));
  }

  @Override
  public void awaitRecovered() throws Exception {
    for (Future<?> f : outages) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  /** The timeline as it happened (planned faults never reached are listed as not injected). */
  public List<Fault> timeline() {
    List<Fault> out = new ArrayList<>();
    for (ChaosFault f : plan) {
      Fault r = records.get(f);
      out.add(
          r != null ? r : new Fault(f.at(), f.kind(), f.target(), f.down(), null, "not injected"));
    }
    return out;
  }

  /** One line per fault: time, fault, target, duration. */
  public static String format(List<? extends ChaosFault> faults) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%6s  %-15s %-22s %6s%n", "at", "fault", "target", "down"));
    for (ChaosFault f : faults) {
      sb.append(String.format("%5ds  %-15s %-22s %5ds%n", f.at(), f.kind(), f.target(), f.down()));
    }
    return sb.toString();
  }
}
