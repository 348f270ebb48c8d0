package io.pipeline.experiment.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A raw broker tool measured in the same run, so the pipeline's figures read against what the
 * broker alone does on this machine.
 *
 * @param name the tool, e.g. {@code kafka ProducerPerformance}, {@code rabbitmq PerfTest}
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param measures what the tool measured: {@code publish} or {@code consume}
 * @param ratePerSecond messages per second the tool reached
 * @param p50Ms median latency the tool reported; null if it reports none
 * @param p99Ms 99th percentile latency the tool reported; null if it reports none
 * @param pipelineRatePerSecond the pipeline's rate for the same measure and broker
 */
public record Baseline(
    String name,
    String broker,
    String measures,
    double ratePerSecond,
    Double p50Ms,
    Double p99Ms,
    double pipelineRatePerSecond) {

  /**
   * Pipeline rate / tool rate (1.0 = as fast as the raw broker); null if the tool rate is 0.
   * Written to the results file; computed again from the two rates when one is read.
   */
  @JsonProperty("ratio")
  public Double ratio() {
    return ratePerSecond > 0 ? pipelineRatePerSecond / ratePerSecond : null;
  }
}
