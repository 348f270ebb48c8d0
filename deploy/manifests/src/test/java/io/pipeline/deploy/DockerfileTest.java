package io.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/image/Dockerfile: pinned bases, a user of its own, the launcher as exec-form entrypoint.
 */
class DockerfileTest {
  static final Path DOCKERFILE = Manifests.DEPLOY.resolve("image/Dockerfile");
  static final String LAUNCHER = "/opt/pipeline/bin/pipeline";

  /** The instructions, continuation lines joined, comments left out. */
  static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.startsWith("#") || t.isEmpty()) {
        continue;
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      out.add(cur.append(t).toString());
      cur.setLength(0);
    }
    return out;
  }

  /** What is wrong with a Dockerfile's text, given the ports it must expose. */
  static List<String> problems(String text, Set<Integer> ports) {
    List<String> problems = new ArrayList<>();
    List<String> from = new ArrayList<>();
    String user = null;
    String entrypoint = null;
    boolean copiesDist = false;
    Set<Integer> exposed = new TreeSet<>();
    for (String i : instructions(text)) {
      String[] w = i.split("\\s+");
      switch (w[0].toUpperCase()) {
        case "FROM" -> from.add(w[1]);
        case "USER" -> user = w[1];
        case "ENTRYPOINT" -> entrypoint = i.substring(w[0].length()).strip();
        case "EXPOSE" -> Arrays.stream(w).skip(1).forEach(p -> exposed.add(Integer.valueOf(p)));
        case "COPY" ->
            copiesDist |=
                i.contains("--from=build")
                    && i.contains("cli/target/pipeline-dist")
                    && i.contains("/opt/pipeline");
        default -> {}
      }
    }
    from.stream().map(Manifests::unpinned).filter(p -> p != null).forEach(problems::add);
    if (from.size() < 2 || !from.get(0).matches("maven:[0-9.]+-eclipse-temurin-17")) {
      problems.add("the build stage is not a pinned maven:<version>-eclipse-temurin-17: " + from);
    }
    if (from.isEmpty() || !from.get(from.size() - 1).matches("eclipse-temurin:17[0-9._]*-jre-.+")) {
      problems.add("the runtime stage is not a pinned eclipse-temurin:17…-jre-… : " + from);
    }
    if (user == null || user.equals("root") || user.startsWith("0")) {
      problems.add("the image runs as root (USER " + user + ")");
    }
    if (!("[\"" + LAUNCHER + "\"]").equals(entrypoint)) {
      problems.add("ENTRYPOINT is not the exec form [\"" + LAUNCHER + "\"]: " + entrypoint);
    }
    if (!copiesDist) {
      problems.add("no COPY --from=build of cli/target/pipeline-dist to /opt/pipeline");
    }
    if (!exposed.containsAll(ports)) {
      Set<Integer> missing = new TreeSet<>(ports);
      missing.removeAll(exposed);
      problems.add("ports not exposed: " + missing);
    }
    return problems;
  }

  /** Every pipeline port of the compose file: what the image must expose. */
  static Set<Integer> ports() throws Exception {
    return new TreeSet<>(ComposeManifestTest.publishedContainerPorts());
  }

  @Test
  void theImageIsPinnedNonRootAndRunsTheLauncher() throws Exception {
    assertThat(ports()).contains(8080, 9401, 9411, 9412, 9421, 9422, 9431);
    assertThat(problems(Files.readString(DOCKERFILE), ports())).isEmpty();
  }

  @Test
  void theBuildContextLeavesOutBuildOutputAndLocalData() throws Exception {
    List<String> ignored = Files.readAllLines(Manifests.REPO.resolve(".dockerignore"));
    assertThat(ignored).contains("**/target/", ".stack/", ".git/", "reports/");
  }

  @Test
  void everyTamperedDockerfileIsReported() throws Exception {
    String good = Files.readString(DOCKERFILE);
    Set<Integer> ports = ports();
    assertThat(problems(good.replace("17.0.15_6-jre-jammy", "latest"), ports))
        .anyMatch(p -> p.contains("the tag latest"));
    assertThat(
            problems(
                good.replace("FROM eclipse-temurin:17.0.15_6-jre-jammy", "FROM eclipse-temurin"),
                ports))
        .anyMatch(p -> p.contains("no version tag"));
    assertThat(problems(good.replace("USER 10001:10001", "USER root"), ports))
        .anyMatch(p -> p.contains("runs as root"));
    assertThat(
            problems(
                good.replace("ENTRYPOINT [\"" + LAUNCHER + "\"]", "ENTRYPOINT " + LAUNCHER), ports))
        .anyMatch(p -> p.contains("exec form"));
    assertThat(problems(good.replace(" 9422 ", " "), ports)).anyMatch(p -> p.contains("[9422]"));
    assertThat(problems(good.replace("--from=build", ""), ports))
        .anyMatch(p -> p.contains("no COPY"));
  }
}
