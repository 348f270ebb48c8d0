package io.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/systemd: one unit per long-running process, stopped as the workers need. */
class SystemdUnitsTest {
  static final Path DIR = Manifests.DEPLOY.resolve("systemd");
  static final List<String> UNITS =
      List.of("pipeline-consume@.service", "pipeline-ingest.service", "pipeline-serve.service");

  /** A unit's [Service] settings (continuation lines joined; a repeated key keeps every value). */
  static Map<String, List<String>> service(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String section = "";
    String joined = text.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String t = line.strip();
      if (t.startsWith("[")) {
        section = t;
      } else if (section.equals("[Service]") && t.contains("=") && !t.startsWith("#")) {
        String key = t.substring(0, t.indexOf('='));
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(t.substring(t.indexOf('=') + 1));
      }
    }
    return out;
  }

  static String one(Map<String, List<String>> s, String key) {
    List<String> v = s.get(key);
    return v == null ? null : v.get(v.size() - 1);
  }

  /** What is wrong with one unit's text. */
  static List<String> problems(String name, String text) {
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> s = service(text);
    Duration drain = WorkerOptions.defaults().drainTimeout();
    check(problems, name, s, "Restart", "on-failure");
    check(problems, name, s, "KillSignal", "SIGTERM");
    check(problems, name, s, "User", "pipeline");
    String stop = one(s, "TimeoutStopSec");
    if (stop == null
        || !stop.matches("\\d+s")
        || Long.parseLong(stop.replace("s", "")) <= drain.toSeconds()) {
      problems.add(
          name + ": TimeoutStopSec=" + stop + " is not more than the drain timeout " + drain);
    }
    if (!s.getOrDefault("EnvironmentFile", List.of()).contains("/etc/pipeline/pipeline.env")) {
      problems.add(name + ": no EnvironmentFile=/etc/pipeline/pipeline.env");
    }
    String success = one(s, "SuccessExitStatus");
    if (success == null || !List.of(success.split("\\s+")).contains("143")) {
      problems.add(name + ": SuccessExitStatus does not list 143 (the JVM after SIGTERM)");
    }
    String exec = one(s, "ExecStart");
    if (exec == null || !exec.startsWith("/opt/pipeline/bin/pipeline ")) {
      problems.add(name + ": ExecStart is not the distribution's launcher: " + exec);
    }
    return problems;
  }

  private static void check(
      List<String> problems, String unit, Map<String, List<String>> s, String key, String want) {
    if (!want.equals(one(s, key))) {
      problems.add(unit + ": " + key + "=" + one(s, key) + ", want " + want);
    }
  }

  /** KEY=value lines of an environment file. */
  static Map<String, String> envFile(String text) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#") && t.contains("=")) {
        env.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
      }
    }
    return env;
  }

  /** What is wrong with the example environment file: names the code does not read, or lacks. */
  static List<String> envProblems(String text) {
    List<String> problems = new ArrayList<>();
    Set<String> names = envFile(text).keySet();
    Set<String> allowed = new TreeSet<>(Manifests.endpointVariables());
    allowed.addAll(Manifests.PROCESS_VARIABLES);
    names.stream()
        .filter(n -> !allowed.contains(n))
        .forEach(n -> problems.add(n + " is read by no code"));
    Set<String> missing = new TreeSet<>(Manifests.endpointVariables());
    missing.remove("RABBITMQ_STREAM_URI");
    missing.removeAll(names);
    if (!missing.isEmpty()) {
      problems.add("endpoint variables not listed: " + missing);
    }
    return problems;
  }

  @Test
  void everyUnitRestartsOnFailureAndStopsAfterTheDrain() throws Exception {
    for (String unit : UNITS) {
      assertThat(problems(unit, Files.readString(DIR.resolve(unit)))).as(unit).isEmpty();
    }
    assertThat(Files.readString(DIR.resolve("pipeline.sysusers.conf"))).contains("u pipeline ");
  }

  @Test
  void theExampleEnvironmentNamesExactlyWhatTheCodeReads() throws Exception {
    assertThat(envProblems(Files.readString(DIR.resolve("pipeline.env.example")))).isEmpty();
  }

  /** Each worker instance's file: its sink, source and the metrics port Prometheus scrapes. */
  @Test
  @SuppressWarnings("unchecked")
  void everyWorkerInstanceHasItsSinkSourceAndScrapedPort() throws Exception {
    Map<String, Integer> scraped = new LinkedHashMap<>();
    for (Map<String, Object> job :
        (List<Map<String, Object>>)
            Manifests.yaml(ComposeManifestTest.PROMETHEUS).get("scrape_configs")) {
      String target =
          ((List<String>)
                  ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets"))
              .get(0);
      scraped.put((String) job.get("job_name"), Integer.valueOf(target.split(":")[1]));
    }
    for (String sink : List.of("warehouse", "cache")) {
      for (String source : List.of("kafka", "rabbitmq")) {
        String instance = sink + "-" + source;
        Map<String, String> env =
            envFile(Files.readString(DIR.resolve("consume-" + instance + ".env")));
        assertThat(env)
            .as(instance)
            .containsEntry("PIPELINE_SINK", sink)
            .containsEntry("PIPELINE_SOURCE", source)
            .containsEntry("PIPELINE_METRICS_PORT", "" + scraped.get(instance));
      }
    }
  }

  @Test
  void tamperedUnitsAndEnvironmentsAreReported() throws Exception {
    String unit = Files.readString(DIR.resolve("pipeline-ingest.service"));
    assertThat(problems("u", unit.replace("TimeoutStopSec=45s", "TimeoutStopSec=10s")))
        .anyMatch(p -> p.contains("TimeoutStopSec=10s is not more than the drain timeout"));
    assertThat(problems("u", unit.replace("SuccessExitStatus=143", "SuccessExitStatus=0")))
        .anyMatch(p -> p.contains("143"));
    assertThat(problems("u", unit.replace("Restart=on-failure", "Restart=no")))
        .contains("u: Restart=no, want on-failure");
    assertThat(problems("u", unit.replace("User=pipeline", "User=root")))
        .contains("u: User=root, want pipeline");
    assertThat(problems("u", unit.replace("EnvironmentFile=/etc/pipeline/pipeline.env", "")))
        .anyMatch(p -> p.contains("EnvironmentFile"));
    String env = Files.readString(DIR.resolve("pipeline.env.example"));
    assertThat(envProblems(env.replace("REDIS_URL=", "REDIS_URI=")))
        .contains("REDIS_URI is read by no code", "endpoint variables not listed: [REDIS_URL]");
  }

  /** systemd's own parser, on copies whose launcher path points at a stand-in executable. */
  private static String verify(Path tmp, Map<String, String> units) throws Exception {
    Files.createDirectories(tmp);
    Path fake = tmp.resolve("pipeline");
    Files.writeString(fake, "#!/bin/sh\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
    for (Map.Entry<String, String> u : units.entrySet()) {
      Files.writeString(
          tmp.resolve(u.getKey()),
          u.getValue().replace("/opt/pipeline/bin/pipeline", fake.toString()));
      String name = u.getKey().replace("@.service", "@warehouse-kafka.service");
      cmd.add(tmp.resolve(name).toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return p.exitValue() + ":" + out.strip();
  }

  @Test
  void systemdAnalyzeAcceptsEveryUnitAndRejectsABadOne(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Manifests.onPath("systemd-analyze"), "systemd-analyze not installed");
    Map<String, String> units = new LinkedHashMap<>();
    for (String unit : UNITS) {
      units.put(unit, Files.readString(DIR.resolve(unit)));
    }
    assertThat(verify(tmp.resolve("good"), units)).isEqualTo("0:");
    units.put(
        "pipeline-serve.service",
        units
            .get("pipeline-serve.service")
            .replace("KillSignal=SIGTERM", "KillSignal=SIGTERMINATE"));
    assertThat(verify(tmp.resolve("bad"), units)).contains("SIGTERMINATE");
  }
}
