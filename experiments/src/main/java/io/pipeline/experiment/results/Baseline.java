package io.pipeline.experiment.results;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A raw broker tool measured in the same run, so the pipeline's figures read against what the
 * broker alone does on this machine.
 *
 * @param name the tool, e.g. {@code kafka ProducerPerformance}, {@code rabbitmq PerfTest}
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param measures what the tool measured: {@code publish} or {@code consume} (files written before
 *     consumer baselines hold a sentence about publishing here: anything but {@code consume} is a
 *     publish baseline)
 * @param ratePerSecond messages per second the tool reached
 * @param p50Ms median latency the tool reported; null if it reports none
 * @param p99Ms 99th percentile latency the tool reported; null if it reports none
 * @param pipelineRatePerSecond the pipeline's rate for the same measure and broker
 * @param peakHeapMiB the most heap our side had in use while it was measured; null if not measured
 * @param peakRssMiB our side's peak resident set size (VmHWM); null if not measured
 */
public record Baseline(
    String name,
    String broker,
    String measures,
    double ratePerSecond,
    Double p50Ms,
    Double p99Ms,
    double pipelineRatePerSecond,
    Double peakHeapMiB,
    Double peakRssMiB) {
  public static final String PUBLISH = "publish";
  public static final String CONSUME = "consume";

  /**
   * Pipeline rate / tool rate (1.0 = as fast as the raw broker); null if the tool rate is 0.
   * Written to the results file; computed again from the two rates when one is read.
   */
  @JsonProperty("ratio")
  public Double ratio() {
    return ratePerSecond > 0 ? pipelineRatePerSecond / ratePerSecond : null;
  }

  /** A consumer baseline: a drain of a pre-filled backlog (else a publish baseline). */
  @JsonIgnore
  public boolean consumes() {
    return CONSUME.equals(measures);
  }
}
