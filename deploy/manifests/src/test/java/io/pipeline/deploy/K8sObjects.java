package io.pipeline.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rendered objects: core kinds mapped onto fabric8's typed model (a field the model does not
 * know is a problem, not silently kept), operator kinds by the fields of their CRDs this repo uses.
 */
final class K8sObjects {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final Map<String, Class<? extends KubernetesResource>> CORE =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class);

  /** An operator kind's spec fields: those it must have, and all it may have. */
  record SpecFields(Set<String> required, Set<String> allowed) {}

  /** apiVersion/kind of each operator resource, from operator-spec-fields.txt. */
  static final Map<String, SpecFields> OPERATOR_SPECS = operatorSpecs();

  private static Map<String, SpecFields> operatorSpecs() {
    Map<String, SpecFields> specs = new java.util.LinkedHashMap<>();
    try (java.io.InputStream in =
        K8sObjects.class.getResourceAsStream("/operator-spec-fields.txt")) {
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\\|");
        Set<String> required = Set.of(cols[1].trim().split("\\s+"));
        Set<String> allowed = new java.util.TreeSet<>(required);
        allowed.addAll(List.of(cols[2].trim().split("\\s+")));
        specs.put(cols[0].trim(), new SpecFields(required, allowed));
      }
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return specs;
  }

  private K8sObjects() {}

  static String type(Map<String, Object> doc) {
    return doc.get("apiVersion") + "/" + doc.get("kind");
  }

  @SuppressWarnings("unchecked")
  static String name(Map<String, Object> doc) {
    return (String) ((Map<String, Object>) doc.get("metadata")).get("name");
  }

  /** A core object as its fabric8 type. */
  static <T extends KubernetesResource> T typed(Map<String, Object> doc, Class<T> type) {
    return JSON.convertValue(doc, type);
  }

  /** What is wrong with one object's shape: an unknown kind, an unknown or missing field. */
  @SuppressWarnings("unchecked")
  static List<String> shapeProblems(Map<String, Object> doc) {
    List<String> problems = new ArrayList<>();
    String where = type(doc) + " " + name(doc);
    Class<? extends KubernetesResource> core = CORE.get(type(doc));
    if (core != null) {
      try {
        unknownFields(typed(doc, core), where, problems);
      } catch (RuntimeException ex) {
        problems.add(
            where + ": does not map onto " + core.getSimpleName() + ": " + ex.getMessage());
      }
      return problems;
    }
    SpecFields fields = OPERATOR_SPECS.get(type(doc));
    if (fields == null) {
      problems.add(where + ": a kind no check knows");
      return problems;
    }
    Map<String, Object> spec = (Map<String, Object>) doc.getOrDefault("spec", Map.of());
    for (String k : spec.keySet()) {
      if (!fields.allowed().contains(k)) {
        problems.add(where + ": unknown field spec." + k);
      }
    }
    for (String k : fields.required()) {
      if (!spec.containsKey(k)) {
        problems.add(where + ": missing spec." + k);
      }
    }
    return problems;
  }

  /** Every {@code additionalProperties} entry below {@code o}: fields the model does not know. */
  static void unknownFields(Object o, String path, List<String> problems) {
    if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        unknownFields(l.get(i), path + "[" + i + "]", problems);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException | RuntimeException ex) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": unknown field(s) " + extra.keySet());
        }
      } else if (v instanceof KubernetesResource || v instanceof List<?>) {
        unknownFields(v, path + "." + m.getName().substring(3), problems);
      }
    }
  }
}
