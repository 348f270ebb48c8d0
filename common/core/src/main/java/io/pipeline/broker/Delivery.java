package io.pipeline.broker;

import java.util.Map;

/**
 * One message as a consumer received it.
 *
 * @param body the raw bytes (not yet decoded: decoding is the worker's job, so a malformed body is
 *     dead-lettered with its reason rather than lost)
 * @param headers string headers
 * @param origin where it came from, for logs and dead letters (e.g. {@code events-2@1734} or {@code
 *     warehouse#57})
 * @param redelivered the broker says it delivered this before (RabbitMQ redeliver flag; Kafka:
 *     offset below the position this consumer started from after a rebalance/restart is unknown, so
 *     false)
 * @param token adapter-private handle used to acknowledge
 */
public record Delivery(
    byte[] body, Map<String, String> headers, String origin, boolean redelivered, Object token) {}
