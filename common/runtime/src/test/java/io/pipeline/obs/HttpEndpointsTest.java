package io.pipeline.obs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics/health server every process runs, called as Prometheus or a probe would. */
class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Observability obs;
  private HttpEndpoints endpoints;

  @BeforeEach
  void start() {
    obs = Observability.create("http-endpoints-test");
    endpoints = HttpEndpoints.start("127.0.0.1", 0, obs);
  }

  @AfterEach
  void stop() {
    endpoints.close();
    obs.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsLiveAndReadyAnswerWithTheirTypes() throws Exception {
    HttpResponse<String> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(m.body()).contains("jvm_memory_used_bytes");
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(live.headers().firstValue("Server")).isEmpty();
    HttpResponse<String> none = get("/nothing");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
  }

  @Test
  void readyIsDownWhileAnyCheckFails() throws Exception {
    AtomicBoolean sink = new AtomicBoolean(false);
    endpoints.readiness("broker", () -> true).readiness("sink", sink::get);
    HttpResponse<String> down = get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"broker\":\"UP\",\"sink\":\"DOWN\"}}");
    sink.set(true);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aPortInUseIsAConfigErrorNamingTheFlagAndTheFix() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> HttpEndpoints.start("127.0.0.1", taken.getLocalPort(), obs))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("--metrics-port")
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("Fix: pick a free port");
    }
  }

  @Test
  void bindsLoopbackOnly() throws Exception {
    // Reached on 127.0.0.1; the server socket is not bound to the wildcard address.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoints.port())) {
      assertThat(s.getLocalAddress().isLoopbackAddress()).isTrue();
    }
    assertThatThrownBy(
            () -> new ServerSocket(endpoints.port(), 1, InetAddress.getLoopbackAddress()))
        .isInstanceOf(java.net.BindException.class);
  }

  @Test
  void aClientDribblingHeadersIsCutOffAtTheRequestDeadline() throws Exception {
    // The default request timeout is 10 s; a byte every 500 ms never trips the 30 s idle timeout.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoints.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      byte[] req =
          "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              .getBytes(StandardCharsets.US_ASCII);
      long start = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < req.length * 4 && !closed; i++) {
        try {
          out.write(req[i % req.length]);
          out.flush();
        } catch (java.io.IOException ex) {
          closed = true;
          break;
        }
        InputStream in = s.getInputStream();
        if (in.available() > 0 || peekClosed(s)) {
          closed = true;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(closed).as("connection closed by the server").isTrue();
      assertThat(seconds).isBetween(9.0, 13.0);
    }
  }

  /** True when the peer closed: a read with a tiny timeout returns -1. */
  private static boolean peekClosed(Socket s) throws java.io.IOException {
    int old = s.getSoTimeout();
    s.setSoTimeout(1);
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException ex) {
      return false;
    } catch (java.io.IOException ex) {
      return true;
    } finally {
      s.setSoTimeout(old);
    }
  }
}
