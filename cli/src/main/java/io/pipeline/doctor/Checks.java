package io.pipeline.doctor;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.NodeRole;
import io.pipeline.config.Endpoints;
import io.pipeline.doctor.Identify.Identified;
import io.pipeline.stack.Probes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The I/O of doctor: a raw TCP connect (to tell timeout, refused and unknown host apart), then the
 * real client login ({@link Probes}), then the version; when the login fails for a reason the
 * client cannot name, {@link Identify} finds out what listens on the port.
 */
public final class Checks {
  /** Read timeout of each protocol probe when a login failed. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(700);

  @FunctionalInterface
  interface Login {
    /** Logs in and returns the server version. */
    String call() throws Exception;
  }

  private final Duration connectTimeout;
  private final Duration timeout;

  /**
   * @param connectTimeout for the raw TCP connect
   * @param timeout for each client login and HTTP request
   */
  public Checks(Duration connectTimeout, Duration timeout) {
    this.connectTimeout = connectTimeout;
    this.timeout = timeout;
  }

  /**
   * One row for a single broker. On a cluster (several addresses): one row per listed node (its
   * role, or why it does not answer), and one for the partitions' in-sync replicas.
   */
  public List<CheckResult> kafka(Endpoints e) {
    List<Target> targets = new ArrayList<>();
    for (String hp : e.kafkaBootstrap().split(",")) {
      String s = hp.trim();
      int colon = s.lastIndexOf(':');
      targets.add(
          new Target(
              s.substring(0, colon).replace("[", "").replace("]", ""),
              Integer.parseInt(s.substring(colon + 1))));
    }
    if (targets.size() == 1) {
      return List.of(
          check(
              Service.KAFKA,
              e.kafkaBootstrap(),
              targets,
              null,
              () -> Probes.kafka(e.kafkaBootstrap(), timeout)));
    }
    Map<Target, Exception> down = new LinkedHashMap<>();
    targets.forEach(t -> connectError(t).ifPresent(ex -> down.put(t, ex)));
    List<Target> up = targets.stream().filter(t -> !down.containsKey(t)).toList();
    String live = String.join(",", up.stream().map(Target::toString).toList());
    CheckResult login =
        up.isEmpty()
            ? null
            : check(Service.KAFKA, live, up, null, () -> Probes.kafka(live, timeout));
    List<NodeRole> roles = null;
    CheckResult noRoles = login == null || login.version().isEmpty() ? login : null;
    if (noRoles == null && login != null) {
      try {
        roles = Brokers.nodeRoles(BrokerKind.KAFKA, live, timeout);
      } catch (Exception ex) {
        noRoles =
            new CheckResult(
                Service.KAFKA,
                live,
                "yes",
                "yes",
                login.version(),
                Diagnose.loginFailure(Service.KAFKA, up.get(0), null, ex, Identified.NOT_PROBED));
      }
    }
    List<CheckResult> rows = new ArrayList<>();
    for (Target t : targets) {
      if (down.containsKey(t)) {
        rows.add(nodeDown(Service.KAFKA, t, up.size(), targets.size(), down.get(t)));
      } else if (roles != null) {
        Optional<NodeRole> role = ClusterDiagnose.roleOf(t, roles);
        rows.add(
            new CheckResult(
                Service.KAFKA,
                t + role.map(r -> " (" + r.role() + ")").orElse(""),
                "yes",
                "yes",
                login.version(),
                role.isPresent()
                    ? login.diagnosis()
                    : ClusterDiagnose.notAMember(Service.KAFKA, t, roles)));
      }
    }
    if (noRoles
        != null) { // the reachable nodes' login or the cluster view failed: this row says why
      rows.add(noRoles);
    } else if (roles != null) {
      rows.add(
          new CheckResult(
              Service.KAFKA,
              "in-sync replicas of "
                  + roles.stream().mapToInt(NodeRole::leaders).sum()
                  + " partitions",
              "yes",
              "yes",
              login.version(),
              ClusterDiagnose.underReplicated(roles, targets.size()).orElse(null)));
    }
    return rows;
  }

  /** One row for a single node; on a cluster (a node list in the URI) one row per node. */
  public List<CheckResult> rabbit(Endpoints e) {
    URI u = e.rabbitUri();
    if (e.rabbitAddresses().size() == 1) {
      int port =
          u.getPort() > 0 ? u.getPort() : "amqps".equalsIgnoreCase(u.getScheme()) ? 5671 : 5672;
      return List.of(
          check(
              Service.RABBITMQ,
              e.rabbitUriForDisplay(),
              List.of(new Target(u.getHost(), port)),
              user(u.getUserInfo()),
              () -> Probes.rabbit(u.toString(), timeout)));
    }
    Map<URI, Exception> down = new LinkedHashMap<>();
    List<URI> nodes = new ArrayList<>();
    for (String address : e.rabbitAddresses()) {
      URI node =
          URI.create(
              u.getScheme()
                  + "://"
                  + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
                  + address
                  + (u.getRawPath() == null ? "" : u.getRawPath())
                  + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
      nodes.add(node);
      connectError(new Target(node.getHost(), node.getPort())).ifPresent(ex -> down.put(node, ex));
    }
    List<CheckResult> rows = new ArrayList<>();
    for (URI node : nodes) {
      Target t = new Target(node.getHost(), node.getPort());
      rows.add(
          down.containsKey(node)
              ? nodeDown(
                  Service.RABBITMQ, t, nodes.size() - down.size(), nodes.size(), down.get(node))
              : check(
                  Service.RABBITMQ,
                  Endpoints.fromEnv(Map.of(Endpoints.RABBITMQ_URI, node.toString()))
                      .rabbitUriForDisplay(),
                  List.of(t),
                  user(u.getUserInfo()),
                  () -> Probes.rabbit(node.toString(), timeout)));
    }
    return rows;
  }

  private static CheckResult nodeDown(Service s, Target t, int up, int listed, Exception ex) {
    return new CheckResult(
        s, t.toString(), "no", "-", "", ClusterDiagnose.nodeDown(s, t, up, listed, ex));
  }

  public CheckResult redis(Endpoints e) {
    URI u = e.redisUrl();
    return check(
        Service.REDIS,
        e.redisUrlForDisplay(),
        List.of(new Target(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379)),
        user(u.getUserInfo()),
        () -> Probes.redis(u.toString(), timeout));
  }

  public CheckResult postgres(Endpoints e) {
    URI u = URI.create(e.postgresUrl().substring("jdbc:".length()));
    String host = u.getHost() != null ? u.getHost() : "localhost";
    return check(
        Service.POSTGRESQL,
        e.postgresUrl() + " (user " + e.postgresUser() + ")",
        List.of(new Target(host, u.getPort() > 0 ? u.getPort() : 5432)),
        e.postgresUser(),
        () -> Probes.postgres(e.postgresUrl(), e.postgresUser(), e.postgresPassword(), timeout));
  }

  /**
   * A worker's {@code /health/ready}. {@code url} is {@code host:port} or an http URL (a trailing
   * {@code /metrics} is ignored).
   */
  public CheckResult worker(String url) {
    URI base = workerBase(url);
    Target t = new Target(base.getHost(), base.getPort() > 0 ? base.getPort() : 80);
    String display = base + "/health/ready";
    Optional<Diagnosis> unreachable = connect(Service.WORKER, t);
    if (unreachable.isPresent()) {
      return new CheckResult(Service.WORKER, display, "no", "-", "", unreachable.get());
    }
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(display)).timeout(timeout).GET().build();
    HttpResponse<String> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException ex) {
      Identified what = Identify.identify(t, Service.WORKER, PROBE_TIMEOUT);
      return new CheckResult(
          Service.WORKER,
          display,
          "yes",
          "-",
          "",
          Diagnose.loginFailure(Service.WORKER, t, null, ex, what));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", ex);
    }
    if (resp.statusCode() == 200) {
      return new CheckResult(Service.WORKER, display, "yes", "-", "ready", null);
    }
    Diagnosis d =
        resp.statusCode() == 503
            ? Diagnose.notReady(t, resp.body())
            : new Diagnosis(
                Problem.WRONG_PROTOCOL,
                display + " answered HTTP " + resp.statusCode() + ": not a pipeline worker",
                "give --metrics the address of a worker's --metrics-port");
    return new CheckResult(Service.WORKER, display, "yes", "-", "", d);
  }

  static URI workerBase(String url) {
    String u = url.trim();
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    URI parsed = URI.create(u);
    if (parsed.getHost() == null) {
      throw new IllegalArgumentException("not host:port or an http URL: " + url);
    }
    return URI.create(parsed.getScheme() + "://" + parsed.getRawAuthority());
  }

  private CheckResult check(
      Service s, String display, List<Target> targets, String user, Login login) {
    for (Target t : targets) {
      Optional<Diagnosis> d = connect(s, t);
      if (d.isPresent()) {
        return new CheckResult(s, display, "no", "-", "", d.get());
      }
    }
    Target first = targets.get(0);
    String version;
    try {
      version = login.call();
    } catch (Exception ex) {
      Identified what =
          Diagnose.explainsItself(ex)
              ? Identified.NOT_PROBED
              : Identify.identify(first, s, PROBE_TIMEOUT);
      Diagnosis d = Diagnose.loginFailure(s, first, user, ex, what);
      String auth = d.problem() == Problem.AUTHENTICATION_REFUSED ? "no" : "-";
      return new CheckResult(s, display, "yes", auth, "", d);
    }
    return new CheckResult(
        s, display, "yes", "yes", version, Diagnose.version(s, first, version).orElse(null));
  }

  /** The raw TCP connect; empty when it connected. */
  Optional<Diagnosis> connect(Service s, Target t) {
    return connectError(t).map(ex -> Diagnose.connectFailure(s, t, ex));
  }

  /** Why the raw TCP connect failed; empty when it connected. */
  private Optional<Exception> connectError(Target t) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(t.host(), t.port()), (int) connectTimeout.toMillis());
      return Optional.empty();
    } catch (IOException | IllegalArgumentException ex) {
      return Optional.of(ex);
    }
  }

  private static String user(String userInfo) {
    if (userInfo == null) {
      return null;
    }
    int colon = userInfo.indexOf(':');
    return colon < 0 ? null : userInfo.substring(0, colon);
  }
}
