package io.pipeline.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus server (Debian package) on 127.0.0.1:port with its own storage, for observability
 * tests.
 */
public final class PrometheusNode extends LocalNode {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path configFile;

  public PrometheusNode(int port, Path dataDir, Path configFile) {
    super("prometheus", port, dataDir, Duration.ofSeconds(30), Duration.ofSeconds(30));
    this.configFile = configFile.toAbsolutePath();
  }

  @Override
  public String address() {
    return url();
  }

  /** http://127.0.0.1:PORT */
  public String url() {
    return "http://" + where();
  }

  @Override
  protected void launch() {
    Packages.ensure(BINARY, "prometheus");
    try {
      Files.createDirectories(dataDir().resolve("data"));
      spawnDetached(
          List.of(
              "setsid",
              BINARY.toString(),
              "--config.file=" + configFile,
              "--web.listen-address=" + where(),
              "--storage.tsdb.path=" + dataDir().resolve("data"),
              "--web.enable-lifecycle"));
    } catch (IOException e) {
      throw new StackException(
          "cannot start prometheus: " + e.getMessage() + "; see " + logFile(), e);
    }
  }

  /** GET /-/ready, then the version from /api/v1/status/buildinfo. */
  @Override
  protected String ask() throws IOException, InterruptedException {
    HttpResponse<String> ready = get("/-/ready");
    if (ready.statusCode() != 200) {
      throw new StackException("prometheus not ready: HTTP " + ready.statusCode());
    }
    Matcher m =
        Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
            .matcher(get("/api/v1/status/buildinfo").body());
    return m.find() ? m.group(1) : "unknown";
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
