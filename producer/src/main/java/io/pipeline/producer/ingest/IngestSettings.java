package io.pipeline.producer.ingest;

import io.pipeline.producer.PublishSettings;

/**
 * The validated {@code ingest} settings.
 *
 * @param address the address the API listener binds
 * @param port its port; 0 = any free port (the bound port is logged)
 * @param limits what one request and the listener may take
 * @param publish where and how the events are published, and the {@code /metrics} listener
 */
public record IngestSettings(
    String address, int port, IngestServer.Limits limits, PublishSettings publish) {}
