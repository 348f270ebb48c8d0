package io.pipeline.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code stack up} started, one properties file per service in {@code .stack/state/}, so
 * {@code stack down} stops only those. Written atomically (temp file + move).
 */
public final class StateFiles {
  private final Path dir;

  public StateFiles(Path stackDir) {
    this.dir = stackDir.resolve("state");
  }

  public Path file(String service) {
    return dir.resolve(service + ".properties");
  }

  public void write(String service, Properties values) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(service + ".properties.tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        values.store(w, "started by pipeline stack up");
      }
      Files.move(
          tmp, file(service), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StackException("cannot write " + file(service) + ": " + e.getMessage(), e);
    }
  }

  public Optional<Properties> read(String service) {
    Path f = file(service);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(r);
      return Optional.of(p);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static final String LAYOUT = "brokers";

  /**
   * Nodes per broker that {@code stack up --nodes} last started: 1 unless a cluster is recorded.
   */
  public int brokerNodes() {
    try {
      return read(LAYOUT).map(p -> Integer.parseInt(p.getProperty("nodes", "1"))).orElse(1);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /**
   * Records a cluster's node count; 1 forgets it (a single node is what nothing recorded means).
   */
  public void rememberBrokerNodes(int nodes) {
    if (nodes == 1) {
      delete(LAYOUT);
      return;
    }
    Properties p = new Properties();
    p.setProperty("nodes", Integer.toString(nodes));
    write(LAYOUT, p);
  }

  public void delete(String service) {
    try {
      Files.deleteIfExists(file(service));
    } catch (IOException e) {
      throw new StackException("cannot delete " + file(service) + ": " + e.getMessage(), e);
    }
  }
}
