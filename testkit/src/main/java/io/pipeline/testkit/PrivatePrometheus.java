package io.pipeline.testkit;

import io.pipeline.stack.Ports;
import io.pipeline.stack.PrometheusNode;
import java.nio.file.Path;

/** A private Prometheus server reading {@code configFile}, with its own storage folder. */
public final class PrivatePrometheus extends PrivateService<PrometheusNode> {
  PrivatePrometheus(Path configFile) {
    super(new PrometheusNode(Ports.freePort(), tempDir("pipeline-prometheus-"), configFile));
  }

  /** http://127.0.0.1:PORT */
  public String url() {
    return node.url();
  }
}
