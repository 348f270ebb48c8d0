package io.pipeline.stack;

/** One row of the stack table: what, where, which version, and what happened to it. */
public record ServiceStatus(
    String name, String address, String version, State state, String detail) {

  /**
   * started/reused come from {@code up}; up/down from {@code status}; stopped from {@code down}.
   */
  public enum State {
    STARTED,
    REUSED,
    UP,
    DOWN,
    STOPPED,
    LEFT_RUNNING,
    FAILED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  public ServiceStatus {
    version = version == null ? "-" : version;
    detail = detail == null ? "" : detail;
  }

  public boolean ok() {
    return state != State.FAILED && state != State.DOWN;
  }
}
