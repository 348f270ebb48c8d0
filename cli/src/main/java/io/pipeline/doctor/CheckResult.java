package io.pipeline.doctor;

/**
 * One row of the doctor table. {@code reachable}/{@code authenticated}: "yes", "no" or "-" (not
 * tried / not applicable). {@code diagnosis} is null when the check passed.
 */
public record CheckResult(
    Service service,
    String address,
    String reachable,
    String authenticated,
    String version,
    Diagnosis diagnosis) {

  public boolean ok() {
    return diagnosis == null;
  }
}
