package io.pipeline.doctor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.pipeline.config.Durations;
import io.pipeline.config.Endpoints;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline doctor}: is every configured endpoint reachable, logged into, recent enough? */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check Kafka, RabbitMQ, Redis and PostgreSQL (from KAFKA_BOOTSTRAP_SERVERS, RABBITMQ_URI,",
      "REDIS_URL, POSTGRES_URL/USER/PASSWORD, as the workers read them) and worker endpoints:",
      "TCP connect, client login, version. Prints a table and, per failure, the cause and the fix.",
      "A cluster (several addresses in either broker setting) gets one row per node (its role, or",
      "why it does not answer) and, for Kafka, one for the partitions' in-sync replicas.",
      "Exit code: 0 all passed, 1 something failed, 2 bad configuration."
    })
public final class DoctorCommand implements java.util.concurrent.Callable<Integer> {
  /** Client libraries log their retries; doctor reports the outcome itself. */
  private static final String[] CHATTY = {
    "org.apache.kafka", "com.rabbitmq", "org.postgresql", "redis.clients"
  };

  @Spec CommandSpec spec;

  @Option(
      names = "--metrics",
      arity = "1..*",
      paramLabel = "URL",
      description =
          "Worker endpoints to check (host:port or http://host:port), e.g. 127.0.0.1:9411")
  List<String> metrics = new ArrayList<>();

  @Option(
      names = "--connect-timeout",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description = "TCP connect timeout (default: ${DEFAULT-VALUE})")
  String connectTimeout;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description = "Timeout of each client login / HTTP request (default: ${DEFAULT-VALUE})")
  String timeout;

  private final Supplier<Map<String, String>> env;

  /**
   * @param env the environment to read the service addresses from (tests pass a map)
   */
  public DoctorCommand(Supplier<Map<String, String>> env) {
    this.env = env;
  }

  public DoctorCommand() {
    this(System::getenv);
  }

  @Override
  public Integer call() throws Exception {
    Duration connect = Durations.parse("--connect-timeout", connectTimeout);
    Duration login = Durations.parse("--timeout", timeout);
    Endpoints endpoints = Endpoints.fromEnv(env.get());
    for (String url : metrics) {
      try {
        Checks.workerBase(url);
      } catch (IllegalArgumentException ex) {
        throw new io.pipeline.config.ConfigException(
            "--metrics", url, "not host:port or an http URL. Fix: e.g. 127.0.0.1:9411");
      }
    }
    List<CheckResult> rows =
        run(
            new Checks(connect, login),
            endpoints,
            connect.plus(login.multipliedBy(3)).plusSeconds(10));
    PrintWriter out = spec.commandLine().getOut();
    out.print(Report.format(rows));
    out.flush();
    return rows.stream().allMatch(CheckResult::ok) ? 0 : 1;
  }

  private List<CheckResult> run(Checks checks, Endpoints e, Duration deadline) throws Exception {
    Map<String, Level> saved = quietClients();
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "doctor-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<List<CheckResult>>> all = new ArrayList<>();
      all.add(pool.submit(() -> checks.kafka(e)));
      all.add(pool.submit(() -> checks.rabbit(e)));
      all.add(pool.submit(() -> List.of(checks.redis(e))));
      all.add(pool.submit(() -> List.of(checks.postgres(e))));
      List<Service> services =
          new ArrayList<>(
              List.of(Service.KAFKA, Service.RABBITMQ, Service.REDIS, Service.POSTGRESQL));
      for (String url : metrics) {
        all.add(pool.submit(() -> List.of(checks.worker(url))));
        services.add(Service.WORKER);
      }
      long end = System.nanoTime() + deadline.toNanos();
      List<CheckResult> rows = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        try {
          rows.addAll(all.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException stuck) {
          // A client that ignores its own timeout must not hang doctor.
          rows.add(
              new CheckResult(
                  services.get(i),
                  "-",
                  "?",
                  "?",
                  "",
                  new Diagnosis(
                      Problem.FAILED,
                      "the check did not finish within " + deadline.toSeconds() + " s",
                      "run doctor again with a longer --timeout")));
        }
      }
      return rows;
    } finally {
      pool.shutdownNow();
      saved.forEach((name, level) -> logger(name).setLevel(level));
    }
  }

  private static Map<String, Level> quietClients() {
    Map<String, Level> saved = new HashMap<>();
    if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
      return saved;
    }
    for (String name : CHATTY) {
      Logger l = logger(name);
      saved.put(name, l.getLevel());
      l.setLevel(Level.OFF);
    }
    return saved;
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }
}
