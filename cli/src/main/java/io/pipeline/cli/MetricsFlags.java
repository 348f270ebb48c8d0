package io.pipeline.cli;

import io.pipeline.config.ConfigException;
import io.pipeline.worker.WorkerSettings;
import picocli.CommandLine.Option;

/** Where a process serves /metrics and /health/{live,ready}: a mixin of every long-running one. */
public final class MetricsFlags {
  @Option(
      names = "--metrics-address",
      defaultValue = WorkerSettings.DEFAULT_METRICS_ADDRESS,
      description = "Address the /metrics and health listener binds (default: ${DEFAULT-VALUE}).")
  String metricsAddress = WorkerSettings.DEFAULT_METRICS_ADDRESS;

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description =
          "Port of /metrics and /health/{live,ready}; 0 picks a free port and logs it (default:"
              + " ${DEFAULT-VALUE}).")
  int metricsPort;

  public String address() {
    return metricsAddress;
  }

  /** The port, 0..65535 (0 = any free port); else a ConfigException with the fix. */
  public int port() {
    if (metricsPort < 0 || metricsPort > 65_535) {
      throw new ConfigException(
          "--metrics-port", metricsPort, "must be 0..65535 (0 = any free port). Fix: e.g. 9464");
    }
    return metricsPort;
  }
}
