package io.pipeline.doctor;

/** The failure kinds doctor tells apart; each gets its own cause and fix. */
public enum Problem {
  /** TCP connect got no answer at all: packets dropped (firewall) or the host is down. */
  CONNECT_TIMEOUT("connection timed out"),
  /** TCP RST: the host is up and nothing listens on the port. */
  CONNECTION_REFUSED("connection refused"),
  UNKNOWN_HOST("unknown host"),
  AUTHENTICATION_REFUSED("authentication refused"),
  /** Something else listens on the port (another service, or an unknown protocol). */
  WRONG_PROTOCOL("wrong protocol"),
  /** The port accepts connections but nothing ever answers (a hung or silent program). */
  NO_ANSWER("no answer"),
  VERSION_TOO_OLD("version too old"),
  /** A worker that answers but reports /health/ready DOWN. */
  NOT_READY("not ready"),
  /** A listed cluster node accepts connections but is not a live member (starting, fenced). */
  NOT_IN_CLUSTER("not a live cluster member"),
  /** Kafka partitions with fewer in-sync replicas than replicas (a broker down or behind). */
  UNDER_REPLICATED("under-replicated"),
  /** The right service answered and refused for another reason (e.g. missing database). */
  FAILED("failed");

  private final String label;

  Problem(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
