package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The RabbitMQ remedies for per-key order with several consumers (decision 0015), declared from
 * {@link RabbitAdapter#declare} by the sink queue's {@link QueueOrdering}:
 *
 * <ul>
 *   <li>{@code single-active}: the sink's quorum queue gets {@code x-single-active-consumer}; one
 *       consumer at a time receives, the others stand by and take over when it goes;
 *   <li>{@code hash:N}: an {@code x-consistent-hash} exchange {@code <sink>.hash}, bound to the
 *       events exchange with the sink's routing keys, hashing on the header {@link #HASH_HEADER}; N
 *       quorum queues {@code <sink>.h0..h<N-1>} (weight 1 each), each with its own dead-letter
 *       exchange and queue; one worker per queue. The sink's plain queue is not declared.
 * </ul>
 */
final class RabbitOrdering {
  /**
   * The header the consistent-hash exchange hashes: the event's partition key (the order id for
   * orders, the Kafka record key). {@link RabbitPublisher} sets it on every message; a foreign
   * producer must set it too: RabbitMQ 3.10 routes every message without it to one and the same
   * queue (nothing lost, nothing spread; RabbitOrderingIT).
   */
  static final String HASH_HEADER = "partition-key";

  static final String HASH_EXCHANGE_TYPE = "x-consistent-hash";

  private RabbitOrdering() {}

  /** Arguments the sink's work queue gets on top of quorum and dead-lettering. */
  static Map<String, Object> workQueueArguments(QueueSpec q) {
    return q.ordering().mode() == QueueOrdering.Mode.SINGLE_ACTIVE
        ? Map.of("x-single-active-consumer", true)
        : Map.of();
  }

  /** {@code <sink>.hash}. */
  static String hashExchange(QueueSpec q) {
    return q.name() + ".hash";
  }

  /**
   * Declares the hash exchange and queues of {@code q} when it asks for them.
   *
   * @return true when it did (the caller then declares nothing else for this queue)
   */
  static boolean declareHashed(Connection c, Channel ch, Topology t, QueueSpec q, int replicas)
      throws IOException {
    QueueOrdering o = q.ordering();
    if (o.mode() != QueueOrdering.Mode.HASH) {
      return false;
    }
    String exchange = hashExchange(q);
    ch.exchangeDeclare(
        exchange, HASH_EXCHANGE_TYPE, true, false, Map.of("hash-header", HASH_HEADER));
    List<String> keys = t.exchangeType() == ExchangeType.FANOUT ? List.of("") : q.bindings();
    for (String key : keys) {
      ch.exchangeBind(exchange, t.exchange(), key);
    }
    for (int i = 0; i < o.queues(); i++) {
      String name = QueueOrdering.hashQueueName(q.name(), i);
      RabbitAdapter.declareWithDeadLetters(c, ch, new QueueSpec(name, q.bindings()), replicas);
      ch.queueBind(name, exchange, "1");
    }
    return true;
  }
}
