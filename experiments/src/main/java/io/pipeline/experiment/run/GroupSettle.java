package io.pipeline.experiment.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a Kafka consumer group has settled, read from its workers' logs (the driver logs {@code
 * group G: partitions assigned [...]} and {@code ... revoked [...]} on every rebalance): every
 * worker was assigned after its last revocation and the last assignments cover every partition,
 * spread over as many workers as can get one. A scale step freezes the workers only then, so no
 * rebalance runs inside the measured drain.
 */
final class GroupSettle {
  static final String ASSIGNED = "partitions assigned [";
  static final String REVOKED = "partitions revoked [";

  private GroupSettle() {}

  /** Waits up to 60 s until the Kafka group of {@code group} has settled; false if it did not. */
  static boolean await(List<Fleet.Child> group, int partitions)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<Path> logs = group.stream().map(Fleet.Child::log).toList();
    while (!settled(logs, partitions)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(250);
    }
    return true;
  }

  /** From the workers' log files (a missing file: not settled). */
  static boolean settled(List<Path> logs, int partitions) throws IOException {
    List<String> texts = new java.util.ArrayList<>();
    for (Path p : logs) {
      if (!Files.isRegularFile(p)) {
        return false;
      }
      texts.add(Files.readString(p));
    }
    return settledTexts(texts, partitions);
  }

  /**
   * From each worker's log text: each worker's partitions replayed from its assigned / revoked
   * lines (the classic protocol revokes and assigns everything on a rebalance; the consumer
   * protocol, KIP-848, logs only what changed), then every partition owned by exactly one worker.
   */
  static boolean settledTexts(List<String> logs, int partitions) {
    java.util.Set<String> all = new java.util.HashSet<>();
    int covered = 0;
    int owners = 0;
    for (String log : logs) {
      java.util.Set<String> owned = new java.util.TreeSet<>();
      boolean everAssigned = false;
      for (String line : log.split("\n")) {
        int a = line.indexOf(ASSIGNED);
        int r = line.indexOf(REVOKED);
        if (a >= 0) {
          owned.addAll(entries(line, a + ASSIGNED.length()));
          everAssigned = true;
        } else if (r >= 0) {
          owned.removeAll(entries(line, r + REVOKED.length()));
        }
      }
      if (!everAssigned) {
        return false;
      }
      all.addAll(owned);
      covered += owned.size();
      owners += owned.isEmpty() ? 0 : 1;
    }
    return covered == partitions
        && all.size() == partitions
        && owners == Math.min(logs.size(), partitions);
  }

  /** Entries of the {@code [a, b, c]} list starting at {@code from}. */
  private static List<String> entries(String line, int from) {
    int end = line.indexOf(']', from);
    String list = line.substring(from, end < 0 ? line.length() : end).trim();
    return list.isEmpty()
        ? List.of()
        : java.util.Arrays.stream(list.split(",")).map(String::trim).toList();
  }
}
