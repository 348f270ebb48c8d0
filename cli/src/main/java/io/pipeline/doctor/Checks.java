package io.pipeline.doctor;

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
import java.util.List;
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

  public CheckResult kafka(Endpoints e) {
    List<Target> targets = new ArrayList<>();
    for (String hp : e.kafkaBootstrap().split(",")) {
      String s = hp.trim();
      int colon = s.lastIndexOf(':');
      targets.add(
          new Target(
              s.substring(0, colon).replace("[", "").replace("]", ""),
              Integer.parseInt(s.substring(colon + 1))));
    }
    return check(
        Service.KAFKA,
        e.kafkaBootstrap(),
        targets,
        null,
        () -> Probes.kafka(e.kafkaBootstrap(), timeout));
  }

  public CheckResult rabbit(Endpoints e) {
    URI u = e.rabbitUri();
    int port =
        u.getPort() > 0 ? u.getPort() : "amqps".equalsIgnoreCase(u.getScheme()) ? 5671 : 5672;
    return check(
        Service.RABBITMQ,
        e.rabbitUriForDisplay(),
        List.of(new Target(u.getHost(), port)),
        user(u.getUserInfo()),
        () -> Probes.rabbit(u.toString(), timeout));
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
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(t.host(), t.port()), (int) connectTimeout.toMillis());
      return Optional.empty();
    } catch (IOException | IllegalArgumentException ex) {
      return Optional.of(Diagnose.connectFailure(s, t, ex));
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
