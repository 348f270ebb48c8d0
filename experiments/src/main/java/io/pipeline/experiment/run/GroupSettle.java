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

  /** From each worker's log text. */
  static boolean settledTexts(List<String> logs, int partitions) {
    int covered = 0;
    int owners = 0;
    for (String log : logs) {
      int assigned = log.lastIndexOf(ASSIGNED);
      if (assigned < 0 || log.lastIndexOf(REVOKED) > assigned) {
        return false;
      }
      int n = count(log, assigned + ASSIGNED.length());
      covered += n;
      owners += n > 0 ? 1 : 0;
    }
    return covered == partitions && owners == Math.min(logs.size(), partitions);
  }

  /** Entries of the {@code [a, b, c]} list starting at {@code from}. */
  private static int count(String log, int from) {
    int end = log.indexOf(']', from);
    String list = log.substring(from, end < 0 ? log.length() : end).trim();
    return list.isEmpty() ? 0 : list.split(",").length;
  }
}
