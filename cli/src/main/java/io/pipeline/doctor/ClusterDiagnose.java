package io.pipeline.doctor;

import io.pipeline.broker.NodeRole;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cause and the fix for a broker cluster named by an address list ({@code
 * KAFKA_BOOTSTRAP_SERVERS} with several hosts, {@code RABBITMQ_URI} with a node list): a listed
 * node that does not answer, a listed address that is not a live member, partitions short of
 * in-sync replicas. Pure functions, as in {@link Diagnose}: the checks pass in what they saw.
 */
final class ClusterDiagnose {
  /** What restarts a node of the local stack's clusters (it starts only what is down). */
  static final String LOCAL_RESTART = "`bin/pipeline stack up --nodes 3`";

  private ClusterDiagnose() {}

  /**
   * A listed node the TCP connect failed on.
   *
   * @param up how many of the {@code listed} nodes did connect
   */
  static Diagnosis nodeDown(Service s, Target t, int up, int listed, Throwable error) {
    Diagnosis connect = Diagnose.connectFailure(s, t, error);
    if (connect.problem() == Problem.UNKNOWN_HOST) {
      return connect;
    }
    return new Diagnosis(
        connect.problem(),
        connect.cause()
            + "; "
            + up
            + " of the "
            + listed
            + " listed nodes answer: "
            + impact(s, up, listed),
        "start that node again ("
            + (Diagnose.isLoopback(t.host()) ? "local stack: " + LOCAL_RESTART + "; " : "")
            + "it rejoins its cluster and catches up by itself), or drop it from "
            + s.setting()
            + " if it left the cluster");
  }

  /** What the cluster can still do with {@code up} of {@code listed} nodes. */
  static String impact(Service s, int up, int listed) {
    boolean majority = 2 * up > listed;
    if (s == Service.KAFKA) {
      return majority
          ? "topics with 3 replicas and min.insync.replicas=2 still take acks=all writes, but"
              + " one more node lost refuses them"
          : "acks=all writes are refused (fewer than min.insync.replicas=2 in-sync replicas, and"
              + " the KRaft quorum has no majority)";
    }
    return majority
        ? "quorum queues still have a majority of their members, but one more node lost stops"
            + " them"
        : "quorum queues have lost their majority: publishes are not confirmed and deliveries"
            + " stop";
  }

  /**
   * The role the cluster reports for the listed node {@code t}: the same host:port, or on loopback
   * the same port (the cluster may advertise 127.0.0.1 where the list says localhost).
   */
  static Optional<NodeRole> roleOf(Target t, List<NodeRole> roles) {
    for (NodeRole r : roles) {
      int colon = r.address().lastIndexOf(':');
      String host = r.address().substring(0, colon).replace("[", "").replace("]", "");
      boolean samePort = r.address().substring(colon + 1).equals(Integer.toString(t.port()));
      if (samePort
          && (host.equalsIgnoreCase(t.host())
              || Diagnose.isLoopback(host) && Diagnose.isLoopback(t.host()))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** A listed node that accepts connections but is not among the cluster's live brokers. */
  static Diagnosis notAMember(Service s, Target t, List<NodeRole> roles) {
    return new Diagnosis(
        Problem.NOT_IN_CLUSTER,
        t
            + " accepts connections but is not among the live brokers of the cluster ("
            + roles.stream().map(NodeRole::address).collect(Collectors.joining(", "))
            + "): still starting, fenced, or a node of another cluster",
        "wait a few seconds and run doctor again; if it stays, read that node's log (it must"
            + " reach the controller quorum) or fix "
            + s.setting());
  }

  /**
   * Partitions whose in-sync replicas are fewer than their replicas, summed over the live nodes'
   * roles; empty when there are none.
   *
   * @param listed how many nodes the address list names
   */
  static Optional<Diagnosis> underReplicated(List<NodeRole> roles, int listed) {
    int under = roles.stream().mapToInt(NodeRole::underReplicated).sum();
    if (under == 0) {
      return Optional.empty();
    }
    String leaders =
        roles.stream()
            .filter(r -> r.underReplicated() > 0)
            .map(r -> r.underReplicated() + " led by " + r.address())
            .collect(Collectors.joining(", "));
    boolean missing = roles.size() < listed;
    return Optional.of(
        new Diagnosis(
            Problem.UNDER_REPLICATED,
            under
                + " partition"
                + (under == 1 ? " has" : "s have")
                + " fewer in-sync replicas than replicas ("
                + leaders
                + "); "
                + roles.size()
                + " of the "
                + listed
                + " listed brokers are live members",
            missing
                ? "bring the missing broker back (local stack: "
                    + LOCAL_RESTART
                    + "); its replicas catch up and rejoin the in-sync set by themselves"
                : "a follower is catching up: run doctor again in a minute; if it stays, read the"
                    + " followers' logs (replica fetcher errors, a full disk)"));
  }
}
