package io.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: each overlay rendered by {@code kubectl kustomize}, every object's shape checked
 * (core kinds typed by fabric8), then cross-checked against the code. Each cross-check also runs on
 * a tampered copy and must report it.
 */
class KubernetesManifestsTest {
  private static String local;
  private static String ha;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeTrue(Manifests.onPath("kubectl"), "kubectl not installed");
    local = kustomize("local");
    ha = kustomize("ha");
  }

  static String kustomize(String overlay) throws Exception {
    return Manifests.run(
        List.of(
            "kubectl",
            "kustomize",
            Manifests.DEPLOY.resolve("k8s/overlays/" + overlay).toString()));
  }

  private static List<String> problems(
      String rendered, int nodes, Consumer<List<Map<String, Object>>> tamper) {
    List<Map<String, Object>> docs = Manifests.documents(rendered);
    tamper.accept(docs);
    return new K8sChecks(docs, nodes).all();
  }

  private static List<String> localAfter(Consumer<List<Map<String, Object>>> tamper) {
    return problems(local, 1, tamper);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(
      List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(K8sObjects.name(d)))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(List<Map<String, Object>> docs, String deployment) {
    Map<String, Object> spec =
        (Map<String, Object>) object(docs, "Deployment", deployment).get("spec");
    Map<String, Object> pod =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    return ((List<Map<String, Object>>) pod.get("containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> m, String... path) {
    Map<String, Object> o = m;
    for (String p : path) {
      Object next = o.get(p);
      o = next instanceof List<?> l ? (Map<String, Object>) l.get(0) : (Map<String, Object>) next;
    }
    return o;
  }

  @Test
  void theLocalOverlayRendersAndAgreesWithTheCode() {
    assertThat(localAfter(d -> {})).isEmpty();
  }

  @Test
  void theHaOverlayRunsThreeOfEachBrokerAndAgreesWithTheCode() {
    assertThat(problems(ha, 3, d -> {})).isEmpty();
    assertThat(problems(local, 3, d -> {}))
        .as("the local overlay is not an HA one")
        .anyMatch(p -> p.startsWith("KafkaNodePool replicas is 1"));
  }

  @Test
  void bothOverlaysHoldTheSameKindsOfObjects() {
    List<String> kinds = new ArrayList<>();
    for (String r : List.of(local, ha)) {
      kinds.add(
          new TreeSet<>(
                  Manifests.documents(r).stream()
                      .map(d -> d.get("kind") + "/" + K8sObjects.name(d))
                      .toList())
              .toString());
    }
    assertThat(kinds.get(0)).isEqualTo(kinds.get(1));
    assertThat(kinds.get(0))
        .contains(
            "Kafka/pipeline",
            "KafkaNodePool/dual",
            "KafkaTopic/events",
            "RabbitmqCluster/rabbitmq",
            "Queue/warehouse",
            "Permission/pipeline",
            "User/pipeline",
            "Cluster/postgres",
            "StatefulSet/redis",
            "Deployment/warehouse-kafka",
            "Deployment/cache-rabbitmq",
            "Deployment/ingest",
            "Service/ingest",
            "Deployment/serve",
            "ScaledObject/cache-kafka",
            "PodMonitor/pipeline",
            "ServiceMonitor/serve",
            "ConfigMap/grafana-dashboard-pipeline");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDashboardConfigMapIsTheRepositorysDashboard() throws Exception {
    Map<String, Object> cm =
        object(Manifests.documents(local), "ConfigMap", "grafana-dashboard-pipeline");
    assertThat(((Map<String, Object>) cm.get("data")).get("pipeline.json"))
        .isEqualTo(Files.readString(Manifests.DEPLOY.resolve("grafana/dashboards/pipeline.json")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void tamperedEnvironmentImagesAndProbesAreReported() {
    assertThat(
            localAfter(
                d ->
                    ((List<Object>) container(d, "ingest").get("env"))
                        .add(Map.of("name", "KAFKA_BOOTSTRAP", "value", "x:9092"))))
        .contains("ingest: environment variable KAFKA_BOOTSTRAP is read by no code");
    assertThat(
            localAfter(
                d -> {
                  Map<String, Object> data =
                      (Map<String, Object>)
                          object(d, "ConfigMap", "pipeline-endpoints").get("data");
                  data.put("REDIS_URI", data.remove("REDIS_URL"));
                }))
        .contains("cache-kafka: environment variable REDIS_URI is read by no code")
        .contains("cache-kafka: endpoint variables not set: [REDIS_URL]");
    assertThat(localAfter(d -> ((List<Object>) container(d, "ingest").get("envFrom")).remove(2)))
        .contains("ingest: binds 0.0.0.0 without PIPELINE_INGEST_TOKEN (it would refuse to start)");
    assertThat(localAfter(d -> container(d, "serve").put("image", "pipeline")))
        .anyMatch(p -> p.startsWith("serve/pipeline: image pipeline: no version tag"));
    assertThat(localAfter(d -> container(d, "serve").put("image", "pipeline:latest")))
        .anyMatch(p -> p.contains("the tag latest"));
    assertThat(
            localAfter(
                d ->
                    at(container(d, "warehouse-kafka"), "readinessProbe", "httpGet")
                        .put("path", "/health")))
        .contains(
            "warehouse-kafka: readiness probe asks /health, the process serves /health/ready");
    assertThat(localAfter(d -> at(container(d, "cache-kafka"), "ports").put("containerPort", 9999)))
        .anyMatch(p -> p.startsWith("cache-kafka: liveness probe on port metrics (9999)"));
    assertThat(
            localAfter(
                d ->
                    at(object(d, "Deployment", "ingest"), "spec", "template", "spec")
                        .put("terminationGracePeriodSeconds", 10)))
        .anyMatch(p -> p.startsWith("ingest: terminationGracePeriodSeconds 10"));
    assertThat(localAfter(d -> at(object(d, "Deployment", "serve"), "spec").put("replica", 2)))
        .anyMatch(
            p ->
                p.startsWith("apps/v1/Deployment serve")
                    && p.contains("unknown field(s) [replica]"));
    assertThat(
            localAfter(
                d -> at(object(d, "ScaledObject", "cache-kafka"), "spec").put("maxReplicas", 3)))
        .contains("keda.sh/v1alpha1/ScaledObject cache-kafka: unknown field spec.maxReplicas");
  }

  @Test
  void tamperedTopicsQueuesAndAutoscalingAreReported() {
    assertThat(
            localAfter(
                d ->
                    at(object(d, "ScaledObject", "warehouse-kafka"), "spec", "triggers", "metadata")
                        .put("consumerGroup", "warehouses")))
        .contains(
            "ScaledObject warehouse-kafka consumerGroup is warehouses, the code uses warehouse");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "ScaledObject", "cache-kafka"), "spec", "triggers", "metadata")
                        .put("topic", "event")))
        .contains("ScaledObject cache-kafka topic is event, the code uses events");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "ScaledObject", "cache-kafka"), "spec")
                        .put("maxReplicaCount", 12)))
        .contains("ScaledObject cache-kafka maxReplicaCount (= partitions) is 12, the code uses 6");
    assertThat(
            localAfter(
                d ->
                    at(
                            object(d, "ScaledObject", "warehouse-rabbitmq"),
                            "spec",
                            "triggers",
                            "metadata")
                        .put("queueName", "warehouse.dlq")))
        .contains(
            "ScaledObject warehouse-rabbitmq queueName is warehouse.dlq, the code uses warehouse");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "ScaledObject", "cache-rabbitmq"), "spec", "scaleTargetRef")
                        .put("name", "cache-kafka")))
        .anyMatch(
            p ->
                p.startsWith(
                    "ScaledObject cache-rabbitmq: a rabbitmq trigger for a worker reading kafka"));
    assertThat(localAfter(d -> at(object(d, "KafkaTopic", "events"), "spec").put("partitions", 3)))
        .contains("KafkaTopic events partitions is 3, the code uses 6");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "Queue", "cache"), "spec", "arguments")
                        .remove("x-dead-letter-exchange")))
        .contains("Queue cache x-dead-letter-exchange is null, the code uses cache.dlx");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "Binding", "events-to-cache-1"), "spec")
                        .put("routingKey", "sms.*")))
        .anyMatch(p -> p.startsWith("Bindings events -> cache is"));
    assertThat(
            problems(
                ha,
                3,
                d ->
                    at(object(d, "KafkaTopic", "events"), "spec", "config")
                        .remove("min.insync.replicas")))
        .contains("KafkaTopic events min.insync.replicas is null, the code uses 2");
  }

  @Test
  @SuppressWarnings("unchecked")
  void tamperedOperatorObjectsAndReferencesAreReported() {
    assertThat(localAfter(d -> d.remove(object(d, "ScaledObject", "cache-rabbitmq"))))
        .anyMatch(
            p ->
                p.startsWith(
                    "ScaledObjects scale [cache-kafka, warehouse-kafka, warehouse-rabbitmq]"));
    assertThat(
            localAfter(
                d ->
                    ((List<Map<String, Object>>)
                            at(object(d, "TriggerAuthentication", "rabbitmq"), "spec")
                                .get("secretTargetRef"))
                        .get(0)
                        .put("key", "RABBITMQ_URL")))
        .anyMatch(p -> p.startsWith("TriggerAuthentication rabbitmq: no key RABBITMQ_URL"));
    assertThat(
            localAfter(
                d ->
                    at(object(d, "Cluster", "postgres"), "spec")
                        .put("imageName", "ghcr.io/cloudnative-pg/postgresql:latest")))
        .anyMatch(p -> p.startsWith("Cluster postgres: image"));
    assertThat(
            localAfter(
                d ->
                    at(
                            object(d, "Deployment", "serve"),
                            "spec",
                            "template",
                            "spec",
                            "securityContext")
                        .remove("runAsNonRoot")))
        .contains("serve: not runAsNonRoot");
    assertThat(
            localAfter(
                d ->
                    at(object(d, "Queue", "warehouse"), "spec").remove("rabbitmqClusterReference")))
        .contains("rabbitmq.com/v1beta1/Queue warehouse: missing spec.rabbitmqClusterReference");
    assertThat(
            localAfter(
                d -> object(d, "Kafka", "pipeline").put("apiVersion", "kafka.strimzi.io/v1alpha1")))
        .contains("kafka.strimzi.io/v1alpha1/Kafka pipeline: a kind no check knows");
    assertThat(
            problems(
                ha,
                3,
                d -> at(object(d, "RabbitmqCluster", "rabbitmq"), "spec").put("replicas", 1)))
        .contains("RabbitmqCluster replicas is 1, the code uses 3");
  }
}
