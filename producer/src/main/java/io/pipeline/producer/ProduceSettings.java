package io.pipeline.producer;

import io.pipeline.producer.gen.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated {@code produce} flags.
 *
 * @param rate sends per second; 0 = as fast as the confirms allow
 * @param count distinct events to generate (duplicates come on top); 0 = no limit
 * @param duration how long to generate; null = no limit
 * @param ledger where to record confirms; null for none
 * @param drainTimeout how long to wait for outstanding confirms and retries at the end
 * @param progress print a progress line about once a second
 * @param metricsLinger how long {@code /metrics} stays up after the run (so a scraper such as
 *     Prometheus collects the final counts); cut short by a stop request
 */
public record ProduceSettings(
    PublishSettings brokers,
    WorkloadSpec workload,
    double rate,
    long count,
    Duration duration,
    Path ledger,
    Duration drainTimeout,
    boolean progress,
    Duration metricsLinger) {}
