package io.pipeline.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The rendered objects against the code: variables, probes, images, grace, autoscaling. */
final class K8sChecks {
  /** The names the workers use (no --prefix): topic, queues, consumer groups, partitions. */
  static final Topology TOPOLOGY = Topology.defaults(ExchangeType.TOPIC);

  private final List<Map<String, Object>> docs;

  /** Broker nodes the overlay is meant to run: 1 (local) or 3 (ha). */
  final int nodes;

  final List<String> problems = new ArrayList<>();
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<String, Set<String>> configKeys = new LinkedHashMap<>();

  K8sChecks(List<Map<String, Object>> docs, int nodes) {
    this.docs = docs;
    this.nodes = nodes;
  }

  List<Map<String, Object>> ofKind(String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  Map<String, Object> named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(d -> name.equals(K8sObjects.name(d)))
        .findFirst()
        .orElse(null);
  }

  /** Every check of this class; the problems found. */
  List<String> all() {
    for (Map<String, Object> d : docs) {
      problems.addAll(K8sObjects.shapeProblems(d));
    }
    if (!problems.isEmpty()) {
      return problems; // the other checks read typed objects
    }
    for (Map<String, Object> d : ofKind("ConfigMap")) {
      ConfigMap cm = K8sObjects.typed(d, ConfigMap.class);
      configKeys.put(
          "configmap/" + K8sObjects.name(d),
          cm.getData() == null ? Set.of() : cm.getData().keySet());
    }
    for (Map<String, Object> d : ofKind("Secret")) {
      Secret s = K8sObjects.typed(d, Secret.class);
      Set<String> keys = new TreeSet<>();
      if (s.getData() != null) {
        keys.addAll(s.getData().keySet());
      }
      if (s.getStringData() != null) {
        keys.addAll(s.getStringData().keySet());
      }
      configKeys.put("secret/" + K8sObjects.name(d), keys);
    }
    for (Map<String, Object> d : ofKind("Deployment")) {
      Deployment dep = K8sObjects.typed(d, Deployment.class);
      deployments.put(dep.getMetadata().getName(), dep);
      deployment(dep);
    }
    for (Map<String, Object> d : ofKind("StatefulSet")) {
      StatefulSet s = K8sObjects.typed(d, StatefulSet.class);
      images(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec());
    }
    for (Map<String, Object> d : ofKind("Cluster")) {
      pinned("Cluster " + K8sObjects.name(d), (String) spec(d).get("imageName"));
    }
    new K8sBrokerChecks(this).all();
    return problems;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> doc) {
    return (Map<String, Object>) doc.getOrDefault("spec", Map.of());
  }

  private void pinned(String where, String image) {
    String why = Manifests.unpinned(image);
    if (why != null) {
      problems.add(where + ": image " + why);
    }
  }

  private void images(String where, PodSpec pod) {
    for (Container c : pod.getContainers()) {
      pinned(where + "/" + c.getName(), c.getImage());
    }
  }

  private void deployment(Deployment dep) {
    String name = dep.getMetadata().getName();
    PodSpec pod = dep.getSpec().getTemplate().getSpec();
    images(name, pod);
    Set<String> allowed = new TreeSet<>(Manifests.endpointVariables());
    allowed.addAll(Manifests.PROCESS_VARIABLES);
    long drain = WorkerOptions.defaults().drainTimeout().toSeconds();
    Long grace = pod.getTerminationGracePeriodSeconds();
    if (grace == null || grace <= drain) {
      problems.add(
          name
              + ": terminationGracePeriodSeconds "
              + grace
              + " is not more than the drain timeout "
              + drain
              + "s");
    }
    if (pod.getSecurityContext() == null
        || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
      problems.add(name + ": not runAsNonRoot");
    }
    for (Container c : pod.getContainers()) {
      Set<String> set = new TreeSet<>();
      for (EnvVar e : c.getEnv()) {
        set.add(e.getName());
      }
      for (EnvFromSource from : c.getEnvFrom()) {
        String ref =
            from.getConfigMapRef() != null
                ? "configmap/" + from.getConfigMapRef().getName()
                : "secret/" + from.getSecretRef().getName();
        Set<String> keys = configKeys.get(ref);
        if (keys == null) {
          problems.add(name + ": envFrom " + ref + ", which is not rendered");
        } else {
          set.addAll(keys);
        }
      }
      for (String var : set) {
        if (!allowed.contains(var)) {
          problems.add(name + ": environment variable " + var + " is read by no code");
        }
      }
      tokenBeyondLoopback(name, c.getArgs(), set, problems);
      Set<String> missing = new TreeSet<>(Manifests.endpointVariables());
      missing.remove("RABBITMQ_STREAM_URI");
      missing.removeAll(set);
      if (!missing.isEmpty()) {
        problems.add(name + ": endpoint variables not set: " + missing);
      }
      probes(name, c);
    }
  }

  /**
   * ingest and serve bound beyond loopback refuse to start without their bearer token (decision
   * 0018): a manifest that binds them so must give it.
   */
  static void tokenBeyondLoopback(
      String name, List<String> args, Set<String> env, List<String> problems) {
    if (args == null || args.isEmpty()) {
      return;
    }
    String variable =
        switch (args.get(0)) {
          case "ingest" -> io.pipeline.http.BearerToken.INGEST_VARIABLE;
          case "serve" -> io.pipeline.http.BearerToken.SERVE_VARIABLE;
          default -> null;
        };
    String address = Manifests.flag(args, "--address");
    if (variable != null
        && address != null
        && !io.pipeline.http.BearerToken.isLoopback(address)
        && !env.contains(variable)
        && !env.contains(variable + "_FILE")) {
      problems.add(
          name + ": binds " + address + " without " + variable + " (it would refuse to start)");
    }
  }

  private void probes(String name, Container c) {
    Integer served = Manifests.healthPort(c.getArgs());
    probe(name, "liveness", c.getLivenessProbe(), "/health/live", served, c.getPorts());
    probe(name, "readiness", c.getReadinessProbe(), "/health/ready", served, c.getPorts());
  }

  private void probe(
      String name, String which, Probe p, String path, Integer served, List<ContainerPort> ports) {
    HTTPGetAction get = p == null ? null : p.getHttpGet();
    if (get == null) {
      problems.add(name + ": no HTTP " + which + " probe");
      return;
    }
    if (!path.equals(get.getPath())) {
      problems.add(
          name + ": " + which + " probe asks " + get.getPath() + ", the process serves " + path);
    }
    Integer port = get.getPort().getIntVal();
    String named = port == null ? get.getPort().getStrVal() : String.valueOf(port);
    if (port == null) {
      port =
          ports.stream()
              .filter(cp -> get.getPort().getStrVal().equals(cp.getName()))
              .map(ContainerPort::getContainerPort)
              .findFirst()
              .orElse(null);
    }
    if (port == null || !port.equals(served)) {
      problems.add(
          name
              + ": "
              + which
              + " probe on port "
              + named
              + " ("
              + port
              + "), the process serves health on "
              + served);
    }
  }
}
