package io.pipeline.deploy;

import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** Reading the deploy files, and the facts about the code they must agree with. */
final class Manifests {
  /** The repository root, from deploy/manifests (surefire's working directory). */
  static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();

  static final Path DEPLOY = REPO.resolve("deploy");

  private Manifests() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path p) throws IOException {
    try (Reader r = Files.newBufferedReader(p)) {
      return new Yaml().load(r);
    }
  }

  /** Every document of a multi-document YAML text, empty ones left out. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object o : new Yaml().loadAll(text)) {
      if (o != null) {
        docs.add((Map<String, Object>) o);
      }
    }
    return docs;
  }

  /**
   * The environment variables the code reads for its endpoints: every {@code public static final
   * String} constant of {@link Endpoints}, read from the class itself.
   */
  static Set<String> endpointVariables() {
    Set<String> names = new TreeSet<>();
    for (Field f : Endpoints.class.getFields()) {
      int m = f.getModifiers();
      if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    return names;
  }

  /**
   * What a deployment may set beside the endpoints: the launcher's JVM options, the worker's
   * instance name, the Kafka group flags' environment defaults (cli WorkerFlags) and the bearer
   * tokens of ingest and serve (directly or as a file), the clients' security settings.
   */
  static final Set<String> PROCESS_VARIABLES =
      Set.of(
          io.pipeline.config.ClientSecurity.KAFKA_SECURITY_PROTOCOL,
          io.pipeline.config.ClientSecurity.KAFKA_SASL_MECHANISM,
          io.pipeline.config.ClientSecurity.KAFKA_SASL_USERNAME,
          io.pipeline.config.ClientSecurity.KAFKA_SASL_PASSWORD,
          io.pipeline.config.ClientSecurity.TLS_CA_FILE,
          io.pipeline.http.BearerToken.INGEST_VARIABLE,
          io.pipeline.http.BearerToken.INGEST_VARIABLE + "_FILE",
          io.pipeline.http.BearerToken.SERVE_VARIABLE,
          io.pipeline.http.BearerToken.SERVE_VARIABLE + "_FILE",
          "PIPELINE_JAVA_OPTS",
          "PIPELINE_HOME",
          "PIPELINE_INSTANCE",
          "PIPELINE_KAFKA_GROUP_PROTOCOL",
          "PIPELINE_KAFKA_STATIC_MEMBERSHIP");

  /** The value after {@code flag} in an argument list, or null. */
  static String flag(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  /**
   * The port a pipeline process serves /metrics and /health on, from its arguments: {@code
   * --metrics-port}, or {@code --port} for serve (one listener for everything).
   */
  static Integer healthPort(List<String> args) {
    String p = flag(args, args.contains("serve") ? "--port" : "--metrics-port");
    return p == null ? null : Integer.valueOf(p);
  }

  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9./_-]+(:v?[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})");

  /** Why an image reference is not pinned to a version, or null when it is. */
  static String unpinned(String image) {
    if (image == null) {
      return "no image";
    }
    if (image.contains(":latest")) {
      return image + ": the tag latest";
    }
    Matcher m = PINNED.matcher(image);
    return m.matches() ? null : image + ": no version tag (want name:1.2.3 or a digest)";
  }

  /** The stdout of a command, or an exception with its output when it fails. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited " + p.exitValue() + ": " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Whether an executable of that name is on the PATH. */
  static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
