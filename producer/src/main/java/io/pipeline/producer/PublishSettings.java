package io.pipeline.producer;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.producer.lane.LaneOptions;
import java.util.Set;

/**
 * The validated settings {@code produce} and {@code ingest} share: where to publish, how, and where
 * the process serves {@code /metrics} and its health checks.
 *
 * @param brokers one lane per broker
 * @param topology the topic/exchange/queue names and the queues' bindings
 * @param publisher in-flight window, confirm timeout and Kafka batching
 * @param lane each lane's buffer and retry backoff
 * @param metricsAddress address of the {@code /metrics} + health listener
 * @param metricsPort its port; 0 = any free port (the bound port is logged)
 */
public record PublishSettings(
    Set<BrokerKind> brokers,
    Topology topology,
    PublisherOptions publisher,
    LaneOptions lane,
    String metricsAddress,
    int metricsPort) {}
