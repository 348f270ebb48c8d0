package io.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose/pipeline.yml: the whole pipeline on the services of docker-compose.yml, checked
 * against the code's variable names and against the Prometheus config that scrapes it.
 */
class ComposeManifestTest {
  static final Path COMPOSE = Manifests.DEPLOY.resolve("compose");
  static final Path PROMETHEUS = Manifests.DEPLOY.resolve("prometheus/prometheus.yml");

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services(Map<String, Object> doc) {
    return (Map<String, Map<String, Object>>) doc.get("services");
  }

  /** The services of the included files (and of what they include), by name. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> included(Map<String, Object> doc) throws Exception {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    for (String file : (List<String>) doc.getOrDefault("include", List.of())) {
      Map<String, Object> inc = Manifests.yaml(COMPOSE.resolve(file));
      all.putAll(included(inc));
      all.putAll(services(inc));
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Map<String, Object> svc, String key) {
    Object v = svc.get(key);
    return v == null ? List.of() : ((List<Object>) v).stream().map(String::valueOf).toList();
  }

  /** What is wrong with the pipeline compose file, its included services and the scrape config. */
  @SuppressWarnings("unchecked")
  static List<String> problems(
      Map<String, Object> doc, Map<String, Map<String, Object>> infra, Map<String, Object> prom) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Object>> pipeline = services(doc);
    Set<String> allowedEnv = new TreeSet<>(Manifests.endpointVariables());
    allowedEnv.addAll(Manifests.PROCESS_VARIABLES);
    Map<String, Map<String, Object>> every = new LinkedHashMap<>(infra);
    every.putAll(pipeline);
    every.forEach(
        (name, svc) -> {
          String why = Manifests.unpinned((String) svc.get("image"));
          if (why != null) {
            problems.add(name + ": image " + why);
          }
          for (String port : list(svc, "ports")) {
            if (!port.startsWith("127.0.0.1:")) {
              problems.add(name + ": port " + port + " is not bound to 127.0.0.1");
            }
          }
        });
    pipeline.forEach(
        (name, svc) -> {
          List<String> command = list(svc, "command");
          Integer port = Manifests.healthPort(command);
          if (port == null) {
            problems.add(name + ": no --metrics-port (or serve --port) in " + command);
            return;
          }
          String ready = "http://127.0.0.1:" + port + "/health/ready";
          Map<String, Object> hc = (Map<String, Object>) svc.getOrDefault("healthcheck", Map.of());
          if (!list(hc, "test").contains(ready)) {
            problems.add(name + ": healthcheck does not ask " + ready + ": " + hc.get("test"));
          }
          if (!list(svc, "ports").contains("127.0.0.1:" + port + ":" + port)) {
            problems.add(name + ": metrics port " + port + " not published on 127.0.0.1:" + port);
          }
          if (command.get(0).equals("consume")
              && !name.equals(command.get(1) + "-" + Manifests.flag(command, "--source"))) {
            problems.add(name + ": runs " + command + ", not the worker its name says");
          }
          Map<String, Object> deps = (Map<String, Object>) svc.getOrDefault("depends_on", Map.of());
          if (deps.isEmpty()) {
            problems.add(name + ": depends on nothing");
          }
          deps.forEach(
              (dep, cond) -> {
                if (!every.containsKey(dep)) {
                  problems.add(name + ": depends on " + dep + ", which no compose file defines");
                }
                if (!"service_healthy".equals(((Map<String, Object>) cond).get("condition"))) {
                  problems.add(name + ": depends on " + dep + " without service_healthy");
                }
              });
          Map<String, Object> env = (Map<String, Object>) svc.getOrDefault("environment", Map.of());
          for (String var : env.keySet()) {
            if (!allowedEnv.contains(var)) {
              problems.add(name + ": environment variable " + var + " is read by no code");
            }
          }
          K8sChecks.tokenBeyondLoopback(name, command, env.keySet(), problems);
          if (!env.keySet()
              .containsAll(
                  Manifests.endpointVariables().stream()
                      .filter(v -> !v.equals("RABBITMQ_STREAM_URI"))
                      .toList())) {
            problems.add(name + ": does not set every endpoint variable: " + env.keySet());
          }
        });
    Map<String, Integer> scraped = new LinkedHashMap<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        for (String target : (List<String>) sc.get("targets")) {
          scraped.put((String) job.get("job_name"), Integer.valueOf(target.split(":")[1]));
        }
      }
    }
    if (!scraped.keySet().equals(pipeline.keySet())) {
      problems.add(
          "Prometheus jobs " + scraped.keySet() + " != compose services " + pipeline.keySet());
    }
    scraped.forEach(
        (job, port) -> {
          Map<String, Object> svc = pipeline.get(job);
          if (svc != null && !port.equals(Manifests.healthPort(list(svc, "command")))) {
            problems.add(
                "Prometheus job "
                    + job
                    + " scrapes "
                    + port
                    + ", the service serves "
                    + Manifests.healthPort(list(svc, "command")));
          }
        });
    return problems;
  }

  static Map<String, Object> pipelineDoc() throws Exception {
    return Manifests.yaml(COMPOSE.resolve("pipeline.yml"));
  }

  /** The container ports the pipeline services publish (what the image exposes). */
  static Set<Integer> publishedContainerPorts() throws Exception {
    Set<Integer> ports = new TreeSet<>();
    services(pipelineDoc())
        .values()
        .forEach(
            svc ->
                list(svc, "ports")
                    .forEach(p -> ports.add(Integer.valueOf(p.substring(p.lastIndexOf(':') + 1)))));
    return ports;
  }

  private static List<String> problemsAfter(Consumer<Map<String, Object>> tamper) throws Exception {
    Map<String, Object> doc = pipelineDoc();
    Map<String, Object> prom = Manifests.yaml(PROMETHEUS);
    Map<String, Object> both = new LinkedHashMap<>(Map.of("compose", doc, "prometheus", prom));
    tamper.accept(both);
    return problems(doc, included(doc), prom);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> both, String name) {
    return services((Map<String, Object>) both.get("compose")).get(name);
  }

  @Test
  void theWholePipelineRunsOnTheIncludedServicesAndIsScraped() throws Exception {
    Map<String, Object> doc = pipelineDoc();
    assertThat(services(doc))
        .containsOnlyKeys(
            "ingest",
            "warehouse-kafka",
            "warehouse-rabbitmq",
            "cache-kafka",
            "cache-rabbitmq",
            "serve",
            "producer");
    assertThat(included(doc)).containsKeys("kafka", "rabbitmq", "redis", "postgres", "prometheus");
    assertThat(problems(doc, included(doc), Manifests.yaml(PROMETHEUS))).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyTamperedCopyIsReported() throws Exception {
    assertThat(problemsAfter(b -> service(b, "serve").put("image", "pipeline:latest")))
        .contains("serve: image pipeline:latest: the tag latest");
    assertThat(problemsAfter(b -> service(b, "ingest").put("image", "pipeline")))
        .anyMatch(p -> p.startsWith("ingest: image pipeline: no version tag"));
    assertThat(problemsAfter(b -> service(b, "cache-kafka").put("ports", List.of("9421:9421"))))
        .contains("cache-kafka: port 9421:9421 is not bound to 127.0.0.1");
    assertThat(
            problemsAfter(
                b ->
                    ((Map<String, Object>) service(b, "warehouse-kafka").get("healthcheck"))
                        .put(
                            "test",
                            List.of("CMD", "curl", "-fsS", "http://127.0.0.1:9411/health/live"))))
        .anyMatch(p -> p.startsWith("warehouse-kafka: healthcheck does not ask"));
    assertThat(
            problemsAfter(
                b ->
                    ((Map<String, Object>) service(b, "cache-rabbitmq").get("environment"))
                        .put("REDIS_URI", "redis://redis:6379")))
        .contains("cache-rabbitmq: environment variable REDIS_URI is read by no code");
    assertThat(
            problemsAfter(
                b ->
                    ((Map<String, Object>) service(b, "serve").get("depends_on"))
                        .put("redis", Map.of("condition", "service_started"))))
        .contains("serve: depends on redis without service_healthy");
    assertThat(
            problemsAfter(
                b -> {
                  List<String> cmd =
                      new ArrayList<>(
                          (List<String>) service(b, "warehouse-rabbitmq").get("command"));
                  cmd.set(cmd.indexOf("rabbitmq"), "kafka");
                  service(b, "warehouse-rabbitmq").put("command", cmd);
                }))
        .anyMatch(p -> p.startsWith("warehouse-rabbitmq: runs"));
    assertThat(
            problemsAfter(
                b -> {
                  Map<String, Object> prom = (Map<String, Object>) b.get("prometheus");
                  Map<String, Object> job =
                      ((List<Map<String, Object>>) prom.get("scrape_configs")).get(2);
                  job.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:9999"))));
                }))
        .anyMatch(p -> p.startsWith("Prometheus job warehouse-kafka scrapes 9999"));
    assertThat(
            problemsAfter(
                b ->
                    ((Map<String, Object>) service(b, "ingest").get("depends_on"))
                        .put("kafka-1", Map.of("condition", "service_healthy"))))
        .contains("ingest: depends on kafka-1, which no compose file defines");
    assertThat(
            problemsAfter(
                b -> {
                  Map<String, Object> env =
                      new LinkedHashMap<>(
                          (Map<String, Object>) service(b, "serve").get("environment"));
                  env.remove("REDIS_URL");
                  service(b, "serve").put("environment", env);
                }))
        .anyMatch(p -> p.startsWith("serve: does not set every endpoint variable"));
    assertThat(
            problemsAfter(
                b -> {
                  Map<String, Object> env =
                      new LinkedHashMap<>(
                          (Map<String, Object>) service(b, "ingest").get("environment"));
                  env.remove("PIPELINE_INGEST_TOKEN");
                  service(b, "ingest").put("environment", env);
                }))
        .contains("ingest: binds 0.0.0.0 without PIPELINE_INGEST_TOKEN (it would refuse to start)");
    assertThat(problemsAfter(b -> services((Map<String, Object>) b.get("compose")).remove("serve")))
        .anyMatch(p -> p.startsWith("Prometheus jobs"));
  }
}
