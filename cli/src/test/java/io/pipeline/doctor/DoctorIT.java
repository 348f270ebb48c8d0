package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.config.Endpoints;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.testkit.TestServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** doctor against real servers: the shared stack, closed ports, silent listeners, wrong ports. */
class DoctorIT {
  private static Map<String, String> good;
  private static Endpoints endpoints;

  @BeforeAll
  static void services() {
    good = TestServices.shared().asEnv();
    endpoints = Endpoints.fromEnv(good);
  }

  record Run(int exit, String out) {
    /** The table row of a service (the first whose line starts with its id). */
    String row(String service) {
      return out.lines()
          .filter(l -> l.startsWith(service + " "))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + service + " in\n" + out));
    }

    /** The "service: problem: cause" line. */
    String cause(String service) {
      return out.lines()
          .filter(l -> l.startsWith(service + ": "))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no failure line for " + service + " in\n" + out));
    }
  }

  private static Run doctor(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new DoctorCommand(() -> env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out + err.toString());
  }

  private static Map<String, String> with(String... kv) {
    Map<String, String> env = new HashMap<>(good);
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  private static int port(URI u) {
    return u.getPort();
  }

  private static int postgresPort() {
    return URI.create(endpoints.postgresUrl().substring("jdbc:".length())).getPort();
  }

  @Test
  void allGreenOnTheSharedStack() {
    Run r = doctor(good);
    assertThat(r.exit()).as(r.out()).isZero();
    for (String s : List.of("kafka", "rabbitmq", "redis", "postgresql")) {
      assertThat(r.row(s)).endsWith("OK").contains(" yes ");
    }
    assertThat(r.row("kafka")).contains("metadata.version");
    assertThat(r.row("redis")).containsPattern(" \\d+\\.\\d+\\.\\d+ ");
    assertThat(r.out()).contains("All 4 checks passed.");
  }

  @Test
  void closedPortIsConnectionRefused() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Run r =
        doctor(
            with(Endpoints.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:" + closed),
            "--metrics",
            "127.0.0.1:" + closed);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.row("kafka")).endsWith("FAIL: connection refused").contains(" no ");
    assertThat(r.cause("kafka")).contains("nothing listens");
    assertThat(r.out()).contains("bin/pipeline stack up");
    assertThat(r.row("worker")).endsWith("FAIL: connection refused");
    assertThat(r.row("redis")).endsWith("OK");
  }

  @Test
  void wrongPasswordsAreAuthenticationRefusedAndNeverPrinted() {
    String secret = "wrong-" + Long.toHexString(System.nanoTime());
    URI rabbit = endpoints.rabbitUri();
    String user = rabbit.getUserInfo().split(":")[0];
    String badRabbit =
        rabbit.getScheme()
            + "://"
            + user
            + ":"
            + secret
            + "@"
            + rabbit.getHost()
            + ":"
            + port(rabbit)
            + rabbit.getRawPath();
    URI redis = endpoints.redisUrl();
    String badRedis = "redis://:" + secret + "@" + redis.getHost() + ":" + port(redis);
    Run r =
        doctor(
            with(
                Endpoints.RABBITMQ_URI, badRabbit,
                Endpoints.POSTGRES_PASSWORD, secret,
                Endpoints.REDIS_URL, badRedis));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.row("rabbitmq")).endsWith("FAIL: authentication refused").contains(" no ");
    assertThat(r.row("postgresql")).endsWith("FAIL: authentication refused");
    assertThat(r.cause("postgresql")).contains("password authentication failed");
    assertThat(r.out()).contains("loopback_users");
    // The shared Redis has no password: sending one is refused too, and doctor says to drop it.
    assertThat(r.row("redis")).endsWith("FAIL: authentication refused");
    assertThat(r.out()).contains("drop the password from REDIS_URL");
    assertThat(r.row("kafka")).endsWith("OK");
    assertThat(r.out()).doesNotContain(secret);
  }

  @Test
  void listenerThatNeverAnswersIsNoAnswer() throws Exception {
    try (SilentListener silent = new SilentListener()) {
      String hp = "127.0.0.1:" + silent.port();
      Run r =
          doctor(
              with(
                  Endpoints.KAFKA_BOOTSTRAP_SERVERS, hp,
                  Endpoints.RABBITMQ_URI, "amqp://guest:guest@" + hp + "/%2F",
                  Endpoints.REDIS_URL, "redis://" + hp,
                  Endpoints.POSTGRES_URL, "jdbc:postgresql://" + hp + "/pipeline"),
              "--timeout",
              "2s",
              "--metrics",
              hp);
      assertThat(r.exit()).isEqualTo(1);
      for (String s : List.of("kafka", "rabbitmq", "redis", "postgresql", "worker")) {
        assertThat(r.row(s)).as(r.out()).endsWith("FAIL: no answer").contains(" yes ");
      }
      assertThat(r.cause("redis")).contains("accepts connections but never answers");
      assertThat(silent.accepted()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void wrongServiceOnThePortIsWrongProtocolNamingWhatIsThere() {
    int pg = postgresPort();
    int redis = port(endpoints.redisUrl());
    int rabbit = port(endpoints.rabbitUri());
    Run r =
        doctor(
            with(
                Endpoints.REDIS_URL, "redis://127.0.0.1:" + pg,
                Endpoints.RABBITMQ_URI, "amqp://guest:guest@127.0.0.1:" + redis + "/%2F",
                Endpoints.POSTGRES_URL, "jdbc:postgresql://127.0.0.1:" + rabbit + "/pipeline",
                Endpoints.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:" + redis),
            "--timeout",
            "3s",
            "--metrics",
            "127.0.0.1:" + pg);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.row("redis")).endsWith("FAIL: wrong protocol");
    assertThat(r.cause("redis")).contains("is PostgreSQL, not Redis");
    assertThat(r.row("rabbitmq")).endsWith("FAIL: wrong protocol");
    assertThat(r.cause("rabbitmq")).contains("is Redis, not RabbitMQ");
    assertThat(r.cause("postgresql")).contains("is RabbitMQ, not PostgreSQL");
    assertThat(r.cause("kafka")).contains("is Redis, not Kafka");
    assertThat(r.cause("worker")).contains("is PostgreSQL");
  }

  @Test
  void workerReadinessFlipsBetweenNotReadyAndReady() {
    AtomicBoolean sinkUp = new AtomicBoolean(false);
    try (Observability obs = Observability.create("doctor-it");
        HttpEndpoints http = HttpEndpoints.start("127.0.0.1", 0, obs)) {
      http.readiness("broker", () -> true).readiness("sink", sinkUp::get);
      String url = "http://127.0.0.1:" + http.port() + "/metrics";
      Run down = doctor(good, "--metrics", url);
      assertThat(down.exit()).isEqualTo(1);
      assertThat(down.row("worker")).endsWith("FAIL: not ready");
      assertThat(down.cause("worker")).contains("sink DOWN").doesNotContain("broker DOWN");
      sinkUp.set(true);
      Run up = doctor(good, "--metrics", url);
      assertThat(up.exit()).as(up.out()).isZero();
      assertThat(up.row("worker")).endsWith("OK").contains("ready");
    }
  }

  /** Accepts connections and never writes a byte. */
  static final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    SilentListener() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = server.accept();
                    synchronized (held) {
                      held.add(s);
                    }
                  }
                } catch (IOException closed) {
                  // close() ends the loop
                }
              },
              "silent-listener");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      synchronized (held) {
        return held.size();
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join(2000);
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
