package io.pipeline.metrics;

/**
 * Every meter name the pipeline registers, in one place: the processes register their meters with
 * these constants and the experiments read the same meters back from /metrics through {@link
 * #prometheus}, so a rename cannot leave a scrape looking for a name nobody exports. Each meter is
 * described (unit, tags, meaning) in {@code docs/metrics.md}; a test checks every constant has its
 * row there.
 */
public final class MetricNames {
  private MetricNames() {}

  // Consumer workers (common/runtime WorkerMetrics).

  /** Messages received from the broker, before decoding (redeliveries count again). */
  public static final String EVENTS_CONSUMED = "pipeline.events.consumed";

  /** Events whose effect the sink committed. */
  public static final String EVENTS_APPLIED = "pipeline.events.applied";

  /** Events skipped because their id was already marked in the sink's dedup scope. */
  public static final String EVENTS_DUPLICATES = "pipeline.events.duplicates";

  /** Well-formed events that are not this sink's business. */
  public static final String EVENTS_SKIPPED = "pipeline.events.skipped";

  /** Messages the broker flagged redelivered (RabbitMQ only). */
  public static final String EVENTS_REDELIVERED = "pipeline.events.redelivered";

  /** Messages sent to the dead-letter destination, by {@code reason}. */
  public static final String EVENTS_DEADLETTERED = "pipeline.events.deadlettered";

  /** Failed sink attempts that were retried. */
  public static final String SINK_RETRIES = "pipeline.sink.retries";

  /** Events per sink transaction. */
  public static final String SINK_BATCH_SIZE = "pipeline.sink.batch.size";

  /** Time to apply and commit one batch. */
  public static final String SINK_BATCH_DURATION = "pipeline.sink.batch.duration";

  /** 1 while the sink is unavailable and the batch is retried with backoff. */
  public static final String SINK_RETRYING = "pipeline.sink.retrying";

  /** Producer send time (in the event) to sink commit. */
  public static final String E2E_LATENCY = "pipeline.e2e.latency";

  /** Intended send time of the load schedule to sink commit (coordinated omission corrected). */
  public static final String E2E_LATENCY_INTENDED = "pipeline.e2e.latency.intended";

  /** The backlog read from the broker: Kafka group lag / RabbitMQ messages ready. */
  public static final String BROKER_BACKLOG = "pipeline.broker.backlog";

  // Sinks.

  /** SMS requests decided by the cache's sliding-window limiter, by {@code outcome}. */
  public static final String CACHE_SMS_OUTCOMES = "pipeline.cache.sms.outcomes";

  /**
   * Out-of-order applications of the warehouse: {@code order.paid} events committed before their
   * order's {@code order.created} (decision 0013).
   */
  public static final String WAREHOUSE_ORDERS_OUT_OF_ORDER =
      "pipeline.warehouse.orders.out.of.order";

  /** Always 1, tagged with the durability level the cache worker acknowledges at. */
  public static final String CACHE_DURABILITY = "pipeline.cache.durability";

  /** Read API ({@code serve}) requests, by {@code route} and {@code status}. */
  public static final String API_REQUESTS = "pipeline.api.requests";

  // Producer and ingest.

  /** Events handed to a broker, by {@code broker}, {@code type} and {@code outcome}. */
  public static final String EVENTS_PUBLISHED = "pipeline.events.published";

  /** Handing an event to the broker client to the broker's confirm, by {@code broker}. */
  public static final String PUBLISH_CONFIRM_LATENCY = "pipeline.publish.confirm.latency";

  /** Publish attempts repeated after a failure. */
  public static final String PUBLISH_RETRIES = "pipeline.publish.retries";

  /** Events handed to the broker, not yet confirmed or failed. */
  public static final String PUBLISH_INFLIGHT = "pipeline.publish.inflight";

  /** Events waiting in a lane's bounded buffer. */
  public static final String PUBLISH_BUFFERED = "pipeline.publish.buffered";

  /** How late each send was against the open-loop load schedule. */
  public static final String PRODUCER_SCHEDULE_LAG = "pipeline.producer.schedule.lag";

  /** Ingest service responses, by {@code status}. */
  public static final String INGEST_RESPONSES = "pipeline.ingest.responses";

  /** Connections ingest closed because a request's headers did not arrive in time. */
  public static final String INGEST_SLOW = "pipeline.ingest.slow";

  /**
   * The Prometheus family of meter {@code name} as Micrometer's Prometheus registry writes it: dots
   * become underscores, then {@code suffix} (base unit and type, e.g. {@code "_events_total"} for a
   * counter in events, {@code "_seconds"} for a timer) is appended.
   */
  public static String prometheus(String name, String suffix) {
    return name.replace('.', '_') + suffix;
  }
}
