package io.pipeline.experiment.run;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's whole backlog on one broker: its queue (group), or with RabbitMQ's {@code hash:N}
 * ordering the sum over its N hash queues (decision 0015); -1 when any of them does not answer.
 */
final class SinkBacklog implements BacklogProbe {
  private final List<BacklogProbe> parts;

  private SinkBacklog(List<BacklogProbe> parts) {
    this.parts = parts;
  }

  static BacklogProbe of(BrokerKind b, Endpoints endpoints, Topology t, String sink) {
    QueueSpec q = t.queueForSink(sink);
    QueueOrdering o = q.ordering();
    if (b != BrokerKind.RABBITMQ || o.mode() != QueueOrdering.Mode.HASH) {
      return Brokers.backlogProbe(b, endpoints, t, q);
    }
    List<BacklogProbe> parts = new ArrayList<>();
    for (int i = 0; i < o.queues(); i++) {
      parts.add(Brokers.backlogProbe(b, endpoints, t, o.consumed(q, i)));
    }
    return new SinkBacklog(parts);
  }

  @Override
  public long backlog() {
    return sum(BacklogProbe::backlog);
  }

  @Override
  public long consumers() {
    return sum(BacklogProbe::consumers);
  }

  private long sum(java.util.function.ToLongFunction<BacklogProbe> f) {
    long n = 0;
    for (BacklogProbe p : parts) {
      long v = f.applyAsLong(p);
      if (v < 0) {
        return -1;
      }
      n += v;
    }
    return n;
  }

  @Override
  public void close() {
    parts.forEach(BacklogProbe::close);
  }
}
