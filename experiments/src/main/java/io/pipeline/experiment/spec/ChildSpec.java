package io.pipeline.experiment.spec;

import java.util.List;

/** A child process of a run: its command line, built in one place, and its /metrics port. */
public sealed interface ChildSpec
    permits WorkerSpec, ProducerSpec, FillSpec, RebuildSpec, ReplaySpec, IngestSpec {
  /** The child's arguments after the launcher's main class. */
  List<String> toArgs();

  /** The port of its /metrics and health listener. */
  int metricsPort();
}
