package io.pipeline.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.kafka.KafkaAdapter;
import io.pipeline.broker.rabbitmq.RabbitAdapter;
import io.pipeline.broker.rabbitmq.RabbitStreams;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operators' objects against the code: the KafkaTopic and the RabbitMQ topology as the workers
 * declare them, the KEDA triggers on the topic, groups and queues the workers read, and the
 * replication an overlay promises.
 */
final class K8sBrokerChecks {
  private final K8sChecks k;

  K8sBrokerChecks(K8sChecks k) {
    this.k = k;
  }

  private void problem(String p) {
    k.problems.add(p);
  }

  private static Object at(Map<String, Object> doc, String... path) {
    Object o = doc;
    for (String p : path) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(p);
    }
    return o;
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  void all() {
    kafka();
    rabbit();
    keda();
  }

  private Map<String, Object> topic(String name) {
    return k.ofKind("KafkaTopic").stream()
        .filter(t -> name.equals(at(t, "spec", "topicName")))
        .findFirst()
        .orElse(null);
  }

  private void kafka() {
    Map<String, Object> events = topic(K8sChecks.TOPOLOGY.kafkaTopic());
    if (events == null) {
      problem("no KafkaTopic " + K8sChecks.TOPOLOGY.kafkaTopic());
      return;
    }
    expect(
        "KafkaTopic events partitions",
        K8sChecks.TOPOLOGY.partitions(),
        at(events, "spec", "partitions"));
    expect(
        "KafkaTopic events retention.ms",
        KafkaAdapter.RETENTION.toMillis(),
        at(events, "spec", "config", "retention.ms"));
    expect(
        "KafkaTopic events segment.ms",
        KafkaAdapter.SEGMENT.toMillis(),
        at(events, "spec", "config", "segment.ms"));
    for (QueueSpec q : K8sChecks.TOPOLOGY.queues()) {
      if (topic(q.deadLetterName()) == null) {
        problem("no KafkaTopic " + q.deadLetterName());
      }
    }
    int isr = k.nodes >= 3 ? 2 : 1;
    for (Map<String, Object> t : k.ofKind("KafkaTopic")) {
      expect("KafkaTopic " + K8sObjects.name(t) + " replicas", k.nodes, at(t, "spec", "replicas"));
      if (k.nodes >= 3) {
        expect(
            "KafkaTopic " + K8sObjects.name(t) + " min.insync.replicas",
            isr,
            at(t, "spec", "config", "min.insync.replicas"));
      }
    }
    for (Map<String, Object> pool : k.ofKind("KafkaNodePool")) {
      expect("KafkaNodePool replicas", k.nodes, at(pool, "spec", "replicas"));
    }
    for (Map<String, Object> kafka : k.ofKind("Kafka")) {
      expect(
          "Kafka min.insync.replicas",
          isr,
          at(kafka, "spec", "kafka", "config", "min.insync.replicas"));
      expect(
          "Kafka default.replication.factor",
          k.nodes,
          at(kafka, "spec", "kafka", "config", "default.replication.factor"));
      expect("Kafka KRaft", "enabled", at(kafka, "metadata", "annotations", "strimzi.io/kraft"));
    }
    for (Map<String, Object> r : k.ofKind("RabbitmqCluster")) {
      expect("RabbitmqCluster replicas", k.nodes, at(r, "spec", "replicas"));
    }
  }

  private void expect(String what, Object want, Object got) {
    if (!Objects.equals(str(want), str(got))) {
      problem(what + " is " + got + ", the code uses " + want);
    }
  }

  private Map<String, Object> rabbit(String kind, String name) {
    return k.ofKind(kind).stream()
        .filter(d -> name.equals(at(d, "spec", "name")))
        .findFirst()
        .orElse(null);
  }

  private Set<String> bindingKeys(String source, String destination) {
    return k.ofKind("Binding").stream()
        .filter(
            b ->
                source.equals(at(b, "spec", "source"))
                    && destination.equals(at(b, "spec", "destination")))
        .map(b -> str(at(b, "spec", "routingKey")))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void rabbit() {
    String exchange = K8sChecks.TOPOLOGY.exchange();
    Map<String, Object> ex = rabbit("Exchange", exchange);
    expect("Exchange " + exchange + " type", "topic", ex == null ? null : at(ex, "spec", "type"));
    Set<String> all = new TreeSet<>();
    for (QueueSpec q : K8sChecks.TOPOLOGY.queues()) {
      String dlx = q.name() + ".dlx";
      Map<String, Object> queue = rabbit("Queue", q.name());
      if (queue == null) {
        problem("no Queue " + q.name());
        continue;
      }
      expect("Queue " + q.name() + " type", "quorum", at(queue, "spec", "type"));
      expect(
          "Queue " + q.name() + " x-dead-letter-exchange",
          dlx,
          at(queue, "spec", "arguments", "x-dead-letter-exchange"));
      expect(
          "Queue " + q.name() + " x-delivery-limit",
          RabbitAdapter.DELIVERY_LIMIT,
          at(queue, "spec", "arguments", "x-delivery-limit"));
      Map<String, Object> dlq = rabbit("Queue", q.deadLetterName());
      expect(
          "Queue " + q.deadLetterName() + " type",
          "quorum",
          dlq == null ? null : at(dlq, "spec", "type"));
      Map<String, Object> dlxEx = rabbit("Exchange", dlx);
      expect(
          "Exchange " + dlx + " type", "fanout", dlxEx == null ? null : at(dlxEx, "spec", "type"));
      expect(
          "Bindings " + dlx + " -> " + q.deadLetterName(),
          Set.of(""),
          bindingKeys(dlx, q.deadLetterName()));
      expect(
          "Bindings " + exchange + " -> " + q.name(),
          new TreeSet<>(q.bindings()),
          bindingKeys(exchange, q.name()));
      all.addAll(q.bindings());
    }
    String stream = RabbitStreams.name(K8sChecks.TOPOLOGY);
    Map<String, Object> s = rabbit("Queue", stream);
    expect("Queue " + stream + " type", "stream", s == null ? null : at(s, "spec", "type"));
    expect(
        "Queue " + stream + " x-max-age",
        RabbitStreams.MAX_AGE.toDays() + "D",
        s == null ? null : at(s, "spec", "arguments", "x-max-age"));
    expect("Bindings " + exchange + " -> " + stream, all, bindingKeys(exchange, stream));
  }

  private void keda() {
    Set<String> scaled = new TreeSet<>();
    String bootstrap =
        k.ofKind("ConfigMap").stream()
            .map(c -> str(at(c, "data", "KAFKA_BOOTSTRAP_SERVERS")))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    for (Map<String, Object> so : k.ofKind("ScaledObject")) {
      String name = K8sObjects.name(so);
      String target = str(at(so, "spec", "scaleTargetRef", "name"));
      Deployment dep = k.deployments.get(target);
      if (dep == null) {
        problem("ScaledObject " + name + " scales " + target + ", which is not a Deployment here");
        continue;
      }
      scaled.add(target);
      List<String> args = dep.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
      String sink = args.size() > 1 && args.get(0).equals("consume") ? args.get(1) : null;
      String source = Manifests.flag(args, "--source");
      if (sink == null) {
        problem("ScaledObject " + name + " scales " + target + ", not a consumer worker");
        continue;
      }
      String queue = K8sChecks.TOPOLOGY.queueForSink(sink).name();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> triggers = (List<Map<String, Object>>) at(so, "spec", "triggers");
      for (Map<String, Object> t : triggers) {
        String type = str(t.get("type"));
        if (!type.equals(source)) {
          problem(
              "ScaledObject " + name + ": a " + type + " trigger for a worker reading " + source);
        } else if (type.equals("kafka")) {
          expect(
              "ScaledObject " + name + " topic",
              K8sChecks.TOPOLOGY.kafkaTopic(),
              at(t, "metadata", "topic"));
          expect(
              "ScaledObject " + name + " consumerGroup", queue, at(t, "metadata", "consumerGroup"));
          expect(
              "ScaledObject " + name + " bootstrapServers",
              bootstrap,
              at(t, "metadata", "bootstrapServers"));
          Map<String, Object> topic = topic(K8sChecks.TOPOLOGY.kafkaTopic());
          expect(
              "ScaledObject " + name + " maxReplicaCount (= partitions)",
              topic == null ? null : at(topic, "spec", "partitions"),
              at(so, "spec", "maxReplicaCount"));
        } else {
          expect("ScaledObject " + name + " queueName", queue, at(t, "metadata", "queueName"));
          triggerAuth(name, str(at(t, "authenticationRef", "name")));
        }
      }
    }
    Set<String> workers =
        k.deployments.keySet().stream()
            .filter(
                d ->
                    "consume"
                        .equals(
                            k.deployments
                                .get(d)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getArgs()
                                .get(0)))
            .collect(Collectors.toCollection(TreeSet::new));
    if (!scaled.equals(workers)) {
      problem("ScaledObjects scale " + scaled + ", the workers are " + workers);
    }
  }

  @SuppressWarnings("unchecked")
  private void triggerAuth(String so, String auth) {
    Map<String, Object> ta = k.named("TriggerAuthentication", auth);
    if (ta == null) {
      problem("ScaledObject " + so + ": no TriggerAuthentication " + auth);
      return;
    }
    for (Map<String, Object> ref : (List<Map<String, Object>>) at(ta, "spec", "secretTargetRef")) {
      Set<String> keys = k.configKeys.get("secret/" + ref.get("name"));
      if (keys == null || !keys.contains(str(ref.get("key")))) {
        problem(
            "TriggerAuthentication "
                + auth
                + ": no key "
                + ref.get("key")
                + " in secret "
                + ref.get("name"));
      }
    }
  }
}
