package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AuthenticationFailureException;
import io.pipeline.doctor.Identify.Identified;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class DiagnoseTest {
  private static final Target LOCAL = new Target("127.0.0.1", 6379);
  private static final Target REMOTE = new Target("10.1.2.3", 5672);
  private static final Target LOCAL_POSTGRES_PORT = new Target("127.0.0.1", 5432);
  private static final Identified POSTGRES_ANSWERED = new Identified(Service.POSTGRESQL, true, "N");

  /** A login as {@code app} to the PostgreSQL at {@link #LOCAL} that failed with {@code e}. */
  private static Diagnosis postgresLogin(Exception e, Identified probe) {
    return Diagnose.loginFailure(Service.POSTGRESQL, LOCAL, "app", e, probe);
  }

  /** A PostgreSQL login that timed out: whether anything answered is up to {@code probe}. */
  private static Diagnosis postgresLoginTimedOut(Identified probe) {
    return postgresLogin(
        new PSQLException("Connection attempt timed out.", PSQLState.CONNECTION_UNABLE_TO_CONNECT),
        probe);
  }

  /** A login without a user to {@code service} at {@link #LOCAL}, its port not probed. */
  private static Diagnosis unprobedLogin(Service service, Exception e) {
    return Diagnose.loginFailure(service, LOCAL, null, e, Identified.NOT_PROBED);
  }

  private static final PSQLException POSTGRES_WRONG_PASSWORD =
      new PSQLException(
          "FATAL: password authentication failed for user \"app\"", PSQLState.INVALID_PASSWORD);

  private static Arguments row(
      String what, Diagnosis d, Problem problem, List<String> cause, List<String> fix) {
    return Arguments.of(what, d, problem, cause, fix);
  }

  /** Each failure, the problem it is named, and words its cause and its fix must contain. */
  static Stream<Arguments> failures() {
    return Stream.of(
        row(
            "connect timeout says firewall and how to open the port",
            Diagnose.connectFailure(
                Service.KAFKA,
                new Target("10.0.0.9", 9092),
                new SocketTimeoutException("Connect timed out")),
            Problem.CONNECT_TIMEOUT,
            List.of("firewall"),
            List.of("open TCP port 9092", "KAFKA_BOOTSTRAP_SERVERS")),
        row(
            "refused says nothing listens and how to start it",
            Diagnose.connectFailure(
                Service.REDIS, LOCAL, new ConnectException("Connection refused")),
            Problem.CONNECTION_REFUSED,
            List.of("nothing listens"),
            List.of("bin/pipeline stack up", "REDIS_URL")),
        row(
            "unknown host wins even when wrapped",
            Diagnose.connectFailure(
                Service.POSTGRESQL,
                new Target("pg.invalid", 5432),
                new IOException("wrapped", new UnknownHostException("pg.invalid"))),
            Problem.UNKNOWN_HOST,
            List.of(),
            List.of("POSTGRES_URL")),
        row(
            "other connect errors are generic failures with the message",
            Diagnose.connectFailure(
                Service.REDIS, LOCAL, new IOException("Network is unreachable")),
            Problem.FAILED,
            List.of("Network is unreachable"),
            List.of()),
        row(
            "postgres wrong password is authentication",
            postgresLogin(POSTGRES_WRONG_PASSWORD, Identified.NOT_PROBED),
            Problem.AUTHENTICATION_REFUSED,
            List.of("user 'app'"),
            List.of("POSTGRES_USER/POSTGRES_PASSWORD", "ALTER ROLE app")),
        row(
            "rabbit guest from another host is explained as loopback only",
            Diagnose.loginFailure(
                Service.RABBITMQ,
                REMOTE,
                "guest",
                new AuthenticationFailureException("ACCESS_REFUSED - Login was refused"),
                Identified.NOT_PROBED),
            Problem.AUTHENTICATION_REFUSED,
            List.of(),
            List.of("only log in from localhost", "loopback_users")),
        row(
            "another service on the port is wrong protocol naming it",
            Diagnose.loginFailure(
                Service.REDIS,
                LOCAL_POSTGRES_PORT,
                null,
                new JedisConnectionException("Unexpected end of stream."),
                new Identified(Service.POSTGRESQL, true, "answered ... with \"N\"")),
            Problem.WRONG_PROTOCOL,
            List.of("is PostgreSQL, not Redis"),
            List.of("REDIS_URL", "6379")),
        row(
            "unrecognised reply is wrong protocol",
            Diagnose.loginFailure(
                Service.RABBITMQ,
                REMOTE,
                "guest",
                new TimeoutException(),
                new Identified(null, true, "answered PING with \"SSH-2.0-OpenSSH\"")),
            Problem.WRONG_PROTOCOL,
            List.of("SSH-2.0"),
            List.of()),
        row(
            "silence everywhere is no answer",
            postgresLoginTimedOut(new Identified(null, false, "no reply")),
            Problem.NO_ANSWER,
            List.of(),
            List.of("ss -ltnp")),
        row(
            "right service but slow login is not called wrong protocol",
            postgresLoginTimedOut(POSTGRES_ANSWERED),
            Problem.FAILED,
            List.of(),
            List.of("--timeout")),
        row(
            "missing database says create it",
            postgresLogin(
                new PSQLException("FATAL: database \"x\" does not exist", PSQLState.INVALID_NAME) {
                  @Override
                  public String getSQLState() {
                    return "3D000";
                  }
                },
                POSTGRES_ANSWERED),
            Problem.FAILED,
            List.of(),
            List.of("createdb")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void eachFailureIsNamedWithItsCauseAndFix(
      String what, Diagnosis d, Problem problem, List<String> cause, List<String> fix) {
    assertThat(d.problem()).isEqualTo(problem);
    cause.forEach(words -> assertThat(d.cause()).contains(words));
    fix.forEach(words -> assertThat(d.fix()).contains(words));
  }

  @Test
  void refusedWorkerSaysWhichMetricsPortToStart() {
    Diagnosis d =
        Diagnose.connectFailure(
            Service.WORKER, new Target("127.0.0.1", 9411), new ConnectException("refused"));
    assertThat(d.fix()).contains("--metrics-port 9411");
  }

  @Test
  void postgresWrongPasswordExplainsItself() {
    assertThat(Diagnose.explainsItself(POSTGRES_WRONG_PASSWORD)).isTrue();
  }

  @Test
  void rabbitWrongPasswordOnLoopbackSaysFixTheUri() {
    Diagnosis d =
        Diagnose.loginFailure(
            Service.RABBITMQ,
            new Target("127.0.0.1", 5672),
            "app",
            new IOException(new AuthenticationFailureException("ACCESS_REFUSED")),
            Identified.NOT_PROBED);
    assertThat(d.problem()).isEqualTo(Problem.AUTHENTICATION_REFUSED);
    assertThat(d.fix()).startsWith("fix the user/password in RABBITMQ_URI");
  }

  @Test
  void redisAuthErrorsAreAuthentication() {
    assertThat(
            unprobedLogin(
                    Service.REDIS,
                    new JedisAccessControlException("WRONGPASS invalid username-password pair"))
                .problem())
        .isEqualTo(Problem.AUTHENTICATION_REFUSED);
    Diagnosis noPassword =
        unprobedLogin(
            Service.REDIS,
            new JedisDataException(
                "ERR AUTH <password> called without any password configured for the default user."));
    assertThat(noPassword.problem()).isEqualTo(Problem.AUTHENTICATION_REFUSED);
    assertThat(noPassword.fix()).contains("drop the password");
  }

  @Test
  void kafkaSaslFailureIsAuthenticationAndOldBrokerIsTooOld() {
    assertThat(unprobedLogin(Service.KAFKA, new SaslAuthenticationException("bad creds")).problem())
        .isEqualTo(Problem.AUTHENTICATION_REFUSED);
    UnsupportedVersionException old = new UnsupportedVersionException("broker too old");
    assertThat(Diagnose.explainsItself(old)).isTrue();
    assertThat(unprobedLogin(Service.KAFKA, old).problem()).isEqualTo(Problem.VERSION_TOO_OLD);
  }

  @Test
  void versionsBelowTheMinimumAreTooOld() {
    assertThat(Diagnose.version(Service.RABBITMQ, LOCAL, "3.7.28")).isPresent();
    assertThat(Diagnose.version(Service.RABBITMQ, LOCAL, "3.8.0")).isEmpty();
    assertThat(Diagnose.version(Service.RABBITMQ, LOCAL, "4.1.4")).isEmpty();
    assertThat(Diagnose.version(Service.REDIS, LOCAL, "6.0.16")).isPresent();
    assertThat(Diagnose.version(Service.REDIS, LOCAL, "6.2.0")).isEmpty();
    assertThat(Diagnose.version(Service.REDIS, LOCAL, "7.0.15")).isEmpty();
    assertThat(Diagnose.version(Service.POSTGRESQL, LOCAL, "9.6.24")).isPresent();
    assertThat(Diagnose.version(Service.POSTGRESQL, LOCAL, "11.22")).isPresent();
    assertThat(Diagnose.version(Service.POSTGRESQL, LOCAL, "15.8")).isEmpty();
    assertThat(Diagnose.version(Service.KAFKA, LOCAL, "no metadata.version")).isPresent();
    assertThat(Diagnose.version(Service.KAFKA, LOCAL, "metadata.version 27")).isEmpty();
    Diagnosis d = Diagnose.version(Service.RABBITMQ, LOCAL, "3.7.28").orElseThrow();
    assertThat(d.problem()).isEqualTo(Problem.VERSION_TOO_OLD);
    assertThat(d.cause()).contains("quorum");
    assertThat(d.fix()).contains("3.8");
  }

  @Test
  void unparseableVersionIsNotClaimedTooOld() {
    assertThat(Diagnose.version(Service.REDIS, LOCAL, "unknown")).isEmpty();
  }

  @Test
  void notReadyListsTheDownChecks() {
    Diagnosis d =
        Diagnose.notReady(
            LOCAL, "{\"status\":\"DOWN\",\"checks\":{\"broker\":\"UP\",\"sink\":\"DOWN\"}}");
    assertThat(d.problem()).isEqualTo(Problem.NOT_READY);
    assertThat(d.cause()).contains("sink DOWN").doesNotContain("broker");
  }
}
