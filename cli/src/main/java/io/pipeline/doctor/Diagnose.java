package io.pipeline.doctor;

import io.pipeline.doctor.Identify.Identified;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a check saw into a cause and a fix. Pure functions: the checks do the I/O and pass in
 * exceptions, replies and version strings; the unit tests pass in the same.
 */
public final class Diagnose {
  private Diagnose() {}

  /** Failure of the raw TCP connect, before any protocol. */
  public static Diagnosis connectFailure(Service s, Target t, Throwable error) {
    Throwable e = root(error);
    if (find(error, UnknownHostException.class) != null) {
      return new Diagnosis(
          Problem.UNKNOWN_HOST,
          "host '" + t.host() + "' does not resolve",
          "fix the host name in " + s.setting() + " (or add it to DNS / /etc/hosts)");
    }
    if (find(error, SocketTimeoutException.class) != null
        || find(error, NoRouteToHostException.class) != null) {
      return new Diagnosis(
          Problem.CONNECT_TIMEOUT,
          "no answer to the TCP connect to "
              + t
              + ": a firewall drops the packets or the host is down",
          "open TCP port "
              + t.port()
              + " on "
              + t.host()
              + " to this machine (e.g. `ufw allow "
              + t.port()
              + "/tcp`, iptables, the cloud security group) or fix "
              + s.setting());
    }
    if (find(error, ConnectException.class) != null) {
      return new Diagnosis(
          Problem.CONNECTION_REFUSED,
          "connection refused by " + t + ": nothing listens on that port",
          "start "
              + s.product()
              + (s == Service.WORKER
                  ? " with --metrics-port " + t.port()
                  : " (`bin/pipeline stack up` starts the local stack)")
              + " or fix "
              + s.setting());
    }
    return failed(s, e);
  }

  /** Whether the login error is already clear (no need to probe what listens). */
  public static boolean explainsItself(Throwable error) {
    return isAuthentication(error) || isUnsupportedVersion(error);
  }

  /**
   * Failure of the real client login after the TCP connect succeeded. {@code what} is what {@link
   * Identify} found on the port (or {@link Identified#NOT_PROBED} when {@link #explainsItself} said
   * probing is not needed).
   */
  public static Diagnosis loginFailure(
      Service s, Target t, String user, Throwable error, Identified what) {
    if (isAuthentication(error)) {
      return authentication(s, t, user, error);
    }
    if (isUnsupportedVersion(error)) {
      return new Diagnosis(
          Problem.VERSION_TOO_OLD,
          s.product() + " at " + t + " is too old for this client: " + root(error).getMessage(),
          "upgrade " + s.product() + " to " + s.minimum() + " or newer");
    }
    if (what.service() != null && what.service() != s) {
      Service other = what.service();
      return new Diagnosis(
          Problem.WRONG_PROTOCOL,
          t + " is " + other.product() + ", not " + s.product() + " (it " + what.evidence() + ")",
          "point "
              + s.setting()
              + " at "
              + s.product()
              + "'s port"
              + (other == Service.WORKER || s == Service.WORKER
                  ? ""
                  : " (local stack: "
                      + defaultPort(s)
                      + "; "
                      + t.port()
                      + " is "
                      + other.product()
                      + "'s)"));
    }
    if (what.service() == null && what.anyReply()) {
      return new Diagnosis(
          Problem.WRONG_PROTOCOL,
          t + " " + what.evidence() + ": not " + s.product() + " nor any service doctor knows",
          "check what listens there (`ss -ltnp 'sport = :"
              + t.port()
              + "'`) and fix "
              + s.setting());
    }
    if (what.service() == null) {
      return new Diagnosis(
          Problem.NO_ANSWER,
          t + " accepts connections but never answers (" + s.product() + " login timed out)",
          "a hung or foreign program holds the port: check `ss -ltnp 'sport = :"
              + t.port()
              + "'`, restart "
              + s.product()
              + " or fix "
              + s.setting());
    }
    // The right service answered the probe, yet the client failed.
    if (isTimeout(error)) {
      return new Diagnosis(
          Problem.FAILED,
          s.product()
              + " at "
              + t
              + " answers, but the login did not finish in time (overloaded or stuck)",
          "retry with a longer --timeout; if it persists, check "
              + s.product()
              + "'s load and log");
    }
    SQLException sql = find(error, SQLException.class);
    if (sql != null && "3D000".equals(sql.getSQLState())) {
      return new Diagnosis(
          Problem.FAILED,
          oneLine(sql.getMessage()),
          "create it (`createdb -h "
              + t.host()
              + " -p "
              + t.port()
              + " <name>`) or fix "
              + s.setting());
    }
    return failed(s, root(error));
  }

  /** A version below the pipeline's minimum, else empty. */
  public static Optional<Diagnosis> version(Service s, Target t, String version) {
    boolean tooOld =
        switch (s) {
          case KAFKA -> !version.startsWith("metadata.version ");
          case RABBITMQ -> below(version, 3, 8);
          case REDIS -> below(version, 6, 2);
          case POSTGRESQL -> below(version, 12, 0);
          case WORKER -> false;
        };
    if (!tooOld) {
      return Optional.empty();
    }
    String why =
        switch (s) {
          case KAFKA ->
              "the broker reports no KRaft metadata.version: ZooKeeper mode or a release before 3.3";
          case RABBITMQ -> "RabbitMQ " + version + " has no quorum queues (3.8+)";
          case REDIS -> "Redis " + version + " lacks the commands the sinks use (6.2+)";
          case POSTGRESQL -> "PostgreSQL " + version + " is older than 12";
          case WORKER -> "";
        };
    return Optional.of(
        new Diagnosis(
            Problem.VERSION_TOO_OLD,
            why + " (at " + t + ")",
            "upgrade "
                + s.product()
                + " to "
                + s.minimum()
                + " or newer (`bin/pipeline stack up` runs supported versions)"));
  }

  /** A worker whose /health/ready answered 503; {@code body} is its JSON. */
  public static Diagnosis notReady(Target t, String body) {
    StringBuilder down = new StringBuilder();
    Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"DOWN\"").matcher(body);
    while (m.find()) {
      down.append(down.length() == 0 ? "" : ", ").append(m.group(1));
    }
    return new Diagnosis(
        Problem.NOT_READY,
        "worker at " + t + " is up but not ready: " + (down.length() == 0 ? body : down + " DOWN"),
        "bring back what is DOWN (broker or sink: see the rows above and the worker's log); it"
            + " turns ready by itself");
  }

  /** Version strings such as "3.10.8", "7.0.15", "15.8 (Debian 15.8-0+deb12u1)". */
  static boolean below(String version, int major, int minor) {
    Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?").matcher(version);
    if (!m.find()) {
      return false; // unknown: do not claim it is too old
    }
    int ma = Integer.parseInt(m.group(1));
    int mi = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return ma < major || (ma == major && mi < minor);
  }

  private static Diagnosis authentication(Service s, Target t, String user, Throwable error) {
    String msg = oneLine(root(error).getMessage());
    String fix =
        switch (s) {
          case RABBITMQ ->
              "guest".equals(user) && !isLoopback(t.host())
                  ? "the guest user may only log in from localhost: create a user (`rabbitmqctl"
                      + " add_user U P; rabbitmqctl set_permissions -p / U '.*' '.*' '.*'`) and put it"
                      + " in RABBITMQ_URI, or set loopback_users = none in rabbitmq.conf"
                  : "fix the user/password in RABBITMQ_URI (amqp://user:pass@host:5672/vhost); note"
                      + " guest only logs in from localhost (create a user or set loopback_users)";
          case POSTGRESQL ->
              "fix POSTGRES_USER/POSTGRES_PASSWORD (or `ALTER ROLE "
                  + (user == null ? "<user>" : user)
                  + " PASSWORD '...'`; check pg_hba.conf for this host)";
          case REDIS ->
              msg.contains("without any password configured")
                  ? "Redis has no password set: drop the password from REDIS_URL (or set requirepass)"
                  : "fix the password in REDIS_URL (redis://user:pass@host:6379) to match requirepass/ACL";
          case KAFKA -> "fix the SASL credentials of the Kafka client";
          case WORKER -> "check the worker's endpoint";
        };
    String cause =
        s.product()
            + " at "
            + t
            + " refused the login"
            + (user == null || user.isEmpty() ? "" : " of user '" + user + "'")
            + ": "
            + msg;
    return new Diagnosis(Problem.AUTHENTICATION_REFUSED, cause, fix);
  }

  static boolean isAuthentication(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      String cls = e.getClass().getName();
      String msg = String.valueOf(e.getMessage());
      if (cls.endsWith("AuthenticationFailureException") // RabbitMQ
          || cls.endsWith("JedisAccessControlException")
          || cls.startsWith("org.apache.kafka.common.errors.")
              && cls.endsWith("AuthenticationException")
          || msg.startsWith("WRONGPASS")
          || msg.startsWith("NOAUTH")
          || msg.contains("called without any password configured")) {
        return true;
      }
      if (e instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("28")) { // invalid authorization / password
        return true;
      }
    }
    return false;
  }

  static boolean isTimeout(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (e instanceof SocketTimeoutException
          || e instanceof java.util.concurrent.TimeoutException
          || e.getClass().getName().equals("org.apache.kafka.common.errors.TimeoutException")
          || msg.contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  static boolean isUnsupportedVersion(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e.getClass()
          .getName()
          .equals("org.apache.kafka.common.errors.UnsupportedVersionException")) {
        return true;
      }
    }
    return false;
  }

  private static Diagnosis failed(Service s, Throwable e) {
    return new Diagnosis(
        Problem.FAILED,
        e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())),
        "see the message; check " + s.setting() + " and " + s.product() + "'s log");
  }

  static int defaultPort(Service s) {
    return switch (s) {
      case KAFKA -> 9092;
      case RABBITMQ -> 5672;
      case REDIS -> 6379;
      case POSTGRESQL -> 5432;
      case WORKER -> 0;
    };
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static Throwable root(Throwable e) {
    Throwable r = e;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable x = e; x != null; x = x.getCause()) {
      if (type.isInstance(x)) {
        return type.cast(x);
      }
    }
    return null;
  }
}
