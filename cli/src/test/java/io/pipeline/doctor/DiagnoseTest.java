package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AuthenticationFailureException;
import io.pipeline.doctor.Identify.Identified;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class DiagnoseTest {
  private static final Target LOCAL = new Target("127.0.0.1", 6379);
  private static final Target REMOTE = new Target("10.1.2.3", 5672);
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

  @Test
  void connectTimeoutSaysFirewallAndHowToOpenThePort() {
    Diagnosis d =
        Diagnose.connectFailure(
            Service.KAFKA,
            new Target("10.0.0.9", 9092),
            new SocketTimeoutException("Connect timed out"));
    assertThat(d.problem()).isEqualTo(Problem.CONNECT_TIMEOUT);
    assertThat(d.cause()).contains("firewall");
    assertThat(d.fix()).contains("open TCP port 9092").contains("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void refusedSaysNothingListensAndHowToStartIt() {
    Diagnosis d =
        Diagnose.connectFailure(Service.REDIS, LOCAL, new ConnectException("Connection refused"));
    assertThat(d.problem()).isEqualTo(Problem.CONNECTION_REFUSED);
    assertThat(d.cause()).contains("nothing listens");
    assertThat(d.fix()).contains("bin/pipeline stack up").contains("REDIS_URL");
  }

  @Test
  void refusedWorkerSaysWhichMetricsPortToStart() {
    Diagnosis d =
        Diagnose.connectFailure(
            Service.WORKER, new Target("127.0.0.1", 9411), new ConnectException("refused"));
    assertThat(d.fix()).contains("--metrics-port 9411");
  }

  @Test
  void unknownHostWinsEvenWhenWrapped() {
    Diagnosis d =
        Diagnose.connectFailure(
            Service.POSTGRESQL,
            new Target("pg.invalid", 5432),
            new IOException("wrapped", new UnknownHostException("pg.invalid")));
    assertThat(d.problem()).isEqualTo(Problem.UNKNOWN_HOST);
    assertThat(d.fix()).contains("POSTGRES_URL");
  }

  @Test
  void otherConnectErrorsAreGenericFailuresWithTheMessage() {
    Diagnosis d =
        Diagnose.connectFailure(Service.REDIS, LOCAL, new IOException("Network is unreachable"));
    assertThat(d.problem()).isEqualTo(Problem.FAILED);
    assertThat(d.cause()).contains("Network is unreachable");
  }

  @Test
  void postgresWrongPasswordIsAuthentication() {
    PSQLException e =
        new PSQLException(
            "FATAL: password authentication failed for user \"app\"", PSQLState.INVALID_PASSWORD);
    assertThat(Diagnose.explainsItself(e)).isTrue();
    Diagnosis d = postgresLogin(e, Identified.NOT_PROBED);
    assertThat(d.problem()).isEqualTo(Problem.AUTHENTICATION_REFUSED);
    assertThat(d.cause()).contains("user 'app'");
    assertThat(d.fix()).contains("POSTGRES_USER/POSTGRES_PASSWORD").contains("ALTER ROLE app");
  }

  @Test
  void rabbitGuestFromAnotherHostIsExplainedAsLoopbackOnly() {
    Diagnosis d =
        Diagnose.loginFailure(
            Service.RABBITMQ,
            REMOTE,
            "guest",
            new AuthenticationFailureException("ACCESS_REFUSED - Login was refused"),
            Identified.NOT_PROBED);
    assertThat(d.problem()).isEqualTo(Problem.AUTHENTICATION_REFUSED);
    assertThat(d.fix()).contains("only log in from localhost").contains("loopback_users");
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
  void anotherServiceOnThePortIsWrongProtocolNamingIt() {
    Identified postgres = new Identified(Service.POSTGRESQL, true, "answered ... with \"N\"");
    Diagnosis d =
        Diagnose.loginFailure(
            Service.REDIS,
            new Target("127.0.0.1", 5432),
            null,
            new JedisConnectionException("Unexpected end of stream."),
            postgres);
    assertThat(d.problem()).isEqualTo(Problem.WRONG_PROTOCOL);
    assertThat(d.cause()).contains("is PostgreSQL, not Redis");
    assertThat(d.fix()).contains("REDIS_URL").contains("6379");
  }

  @Test
  void unrecognisedReplyIsWrongProtocol() {
    Diagnosis d =
        Diagnose.loginFailure(
            Service.RABBITMQ,
            REMOTE,
            "guest",
            new TimeoutException(),
            new Identified(null, true, "answered PING with \"SSH-2.0-OpenSSH\""));
    assertThat(d.problem()).isEqualTo(Problem.WRONG_PROTOCOL);
    assertThat(d.cause()).contains("SSH-2.0");
  }

  @Test
  void silenceEverywhereIsNoAnswer() {
    Diagnosis d = postgresLoginTimedOut(new Identified(null, false, "no reply"));
    assertThat(d.problem()).isEqualTo(Problem.NO_ANSWER);
    assertThat(d.fix()).contains("ss -ltnp");
  }

  @Test
  void rightServiceButSlowLoginIsNotCalledWrongProtocol() {
    Diagnosis d = postgresLoginTimedOut(POSTGRES_ANSWERED);
    assertThat(d.problem()).isEqualTo(Problem.FAILED);
    assertThat(d.fix()).contains("--timeout");
  }

  @Test
  void missingDatabaseSaysCreateIt() {
    Diagnosis d =
        postgresLogin(
            new PSQLException("FATAL: database \"x\" does not exist", PSQLState.INVALID_NAME) {
              @Override
              public String getSQLState() {
                return "3D000";
              }
            },
            POSTGRES_ANSWERED);
    assertThat(d.problem()).isEqualTo(Problem.FAILED);
    assertThat(d.fix()).contains("createdb");
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
