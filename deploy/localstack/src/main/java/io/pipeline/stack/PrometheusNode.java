package io.pipeline.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus server (Debian package) on 127.0.0.1:port with its own storage, for observability
 * tests.
 */
public final class PrometheusNode implements ServiceNode {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int port;
  private final Path dataDir;
  private final Path configFile;

  public PrometheusNode(int port, Path dataDir, Path configFile) {
    this.port = port;
    this.dataDir = dataDir.toAbsolutePath();
    this.configFile = configFile.toAbsolutePath();
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public String address() {
    return url();
  }

  /** http://127.0.0.1:PORT */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public Path logFile() {
    return dataDir.resolve("prometheus.log");
  }

  private Path pidFile() {
    return dataDir.resolve("prometheus.pid");
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    Packages.ensure(BINARY, "prometheus");
    try {
      Files.createDirectories(dataDir.resolve("data"));
      List<String> cmd =
          List.of(
              "setsid",
              BINARY.toString(),
              "--config.file=" + configFile,
              "--web.listen-address=127.0.0.1:" + port,
              "--storage.tsdb.path=" + dataDir.resolve("data"),
              "--web.enable-lifecycle");
      Process p =
          new ProcessBuilder(cmd)
              .directory(dataDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      Files.writeString(pidFile(), p.pid() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException(
          "cannot start prometheus: " + e.getMessage() + "; see " + logFile(), e);
    }
    Waiter.await(
        "prometheus on " + url(), Duration.ofSeconds(30), logFile(), this::probe, this::isRunning);
  }

  @Override
  public synchronized void stop() {
    pid().ifPresent(p -> OsProcess.terminate(p, Duration.ofSeconds(30)));
  }

  @Override
  public OptionalLong pid() {
    return OsProcess.livePid(pidFile());
  }

  /** GET /-/ready, then the version from /api/v1/status/buildinfo. */
  @Override
  public String probe() {
    try {
      HttpResponse<String> ready = get("/-/ready");
      if (ready.statusCode() != 200) {
        throw new StackException("prometheus not ready: HTTP " + ready.statusCode());
      }
      Matcher m =
          Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
              .matcher(get("/api/v1/status/buildinfo").body());
      return m.find() ? m.group(1) : "unknown";
    } catch (IOException e) {
      throw new StackException("prometheus on " + url() + " does not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
