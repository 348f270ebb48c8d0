package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** deploy/prometheus, deploy/grafana and deploy/compose/observability.yml agree with the docs. */
class ObservabilityDeployTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Path PROMETHEUS_YML = DEPLOY.resolve("prometheus/prometheus.yml");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path p) throws Exception {
    try (Reader r = Files.newBufferedReader(p)) {
      return new Yaml().load(r);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryDocumentedPortOnLoopback() throws Exception {
    Map<String, Integer> scraped = new LinkedHashMap<>();
    for (Map<String, Object> job :
        (List<Map<String, Object>>) yaml(PROMETHEUS_YML).get("scrape_configs")) {
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        for (String target : (List<String>) sc.get("targets")) {
          assertThat(target).startsWith("127.0.0.1:");
          scraped.put((String) job.get("job_name"), Integer.parseInt(target.split(":")[1]));
        }
      }
      assertThat(job.get("honor_labels"))
          .as("honor_labels of " + job.get("job_name"))
          .isEqualTo(true);
    }
    assertThat(scraped).isEqualTo(MetricsDoc.read().ports);
    assertThat(scraped)
        .containsEntry("producer", 9400)
        .containsEntry("warehouse-kafka", 9411)
        .containsEntry("serve", 9431)
        .hasSize(7);
  }

  @Test
  void promtoolAcceptsTheConfigWhenInstalled() throws Exception {
    File promtool = new File("/usr/bin/promtool");
    Assumptions.assumeTrue(promtool.canExecute(), "promtool not installed");
    Process p =
        new ProcessBuilder(promtool.getPath(), "check", "config", PROMETHEUS_YML.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void grafanaDatasourceIsTheOneTheDashboardUses() throws Exception {
    Map<String, Object> ds =
        ((List<Map<String, Object>>)
                yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"))
                    .get("datasources"))
            .get(0);
    assertThat(ds).containsEntry("uid", "prometheus").containsEntry("type", "prometheus");
    assertThat((String) ds.get("url")).isEqualTo("http://127.0.0.1:9090");
    Map<String, Object> provider =
        ((List<Map<String, Object>>)
                yaml(DEPLOY.resolve("grafana/provisioning/dashboards/dashboards.yml"))
                    .get("providers"))
            .get(0);
    assertThat(((Map<String, Object>) provider.get("options")).get("path"))
        .isEqualTo("/var/lib/grafana/dashboards");
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeRunsPinnedPrometheusAndGrafanaOnLoopbackWithTheRepoFiles() throws Exception {
    assertThat((List<String>) yaml(DEPLOY.resolve("compose/docker-compose.yml")).get("include"))
        .contains("observability.yml");
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>)
            yaml(DEPLOY.resolve("compose/observability.yml")).get("services");
    assertThat(services).containsOnlyKeys("prometheus", "grafana");
    services.forEach(
        (name, svc) -> {
          assertThat((String) svc.get("image")).as(name).matches("[a-z/]+:v?\\d+\\.\\d+\\.\\d+");
          assertThat(svc).as(name).doesNotContainKey("ports").containsKey("healthcheck");
          for (String v : (List<String>) svc.get("volumes")) {
            String source = v.split(":")[0];
            if (source.startsWith(".")) {
              assertThat(DEPLOY.resolve("compose").resolve(source))
                  .as(name + " mounts " + source)
                  .exists();
            }
          }
        });
    assertThat((List<String>) services.get("prometheus").get("command"))
        .contains("--web.listen-address=127.0.0.1:9090");
    assertThat((Map<String, Object>) services.get("grafana").get("environment"))
        .containsEntry("GF_SERVER_HTTP_ADDR", "127.0.0.1");
  }
}
