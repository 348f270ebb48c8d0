package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.cli.produce.IngestFixture.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that send too slowly, hold connections or arrive during shutdown, on raw sockets (as a
 * foreign caller would), with real brokers behind ingest.
 */
class SlowClientIT {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(6);
  private final IngestFixture fixture = new IngestFixture();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    fixture.close();
  }

  private static String request(String body) {
    return "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** A raw connection that sends {@code bytes}: {@code burst} at once, then one byte per tick. */
  private final class Dribbler {
    final Socket socket;
    final byte[] bytes;
    int sent;
    final long startNanos = System.nanoTime();
    volatile long closedNanos = -1;
    volatile String statusLine = "";

    Dribbler(int port, String text, int burst) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      sockets.add(socket);
      bytes = text.getBytes(StandardCharsets.UTF_8);
      socket.getOutputStream().write(bytes, 0, burst);
      sent = burst;
      Thread reader = new Thread(this::read, "dribbler-reader");
      reader.setDaemon(true);
      reader.start();
    }

    boolean closed() {
      return closedNanos >= 0;
    }

    double secondsOpen() {
      return (closedNanos - startNanos) / 1e9;
    }

    void tick() {
      if (closed() || sent >= bytes.length) {
        return;
      }
      try {
        OutputStream out = socket.getOutputStream();
        out.write(bytes[sent++]);
        out.flush();
      } catch (IOException ex) {
        markClosed();
      }
    }

    private void read() {
      try {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
          if (c == '\n' && statusLine.isEmpty()) {
            statusLine = line.toString().trim();
          }
          line.append((char) c);
        }
      } catch (IOException ex) {
        // reset by the server: closed all the same
      }
      markClosed();
    }

    private synchronized void markClosed() {
      if (closedNanos < 0) {
        closedNanos = System.nanoTime();
      }
    }
  }

  @Test
  @Timeout(120)
  void slowClientsAreCutOffAtTheDeadlineWhileOthersKeepGetting202() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Server s =
        fixture.startShared(
            "slow",
            registry,
            "--partitions",
            "1",
            "--threads",
            "4",
            "--read-timeout",
            READ_TIMEOUT.toSeconds() + "s");
    int port = s.server().port();
    String full = request(IngestFixture.VIEW);
    int headerLength = full.indexOf("\r\n\r\n") + 4;
    List<Dribbler> headerDribblers = new ArrayList<>();
    List<Dribbler> bodyDribblers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      headerDribblers.add(new Dribbler(port, full, 1));
      bodyDribblers.add(new Dribbler(port, full, headerLength + 1));
    }
    List<Dribbler> all = new ArrayList<>(headerDribblers);
    all.addAll(bodyDribblers);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(() -> all.forEach(Dribbler::tick), 2, 2, TimeUnit.SECONDS);

    // Meanwhile a normal client posts every 200 ms (more handler threads are busy than exist).
    AtomicBoolean done = new AtomicBoolean();
    List<Integer> statuses = new ArrayList<>();
    List<Double> latencies = new ArrayList<>();
    CompletableFuture<Void> normal =
        CompletableFuture.runAsync(
            () -> {
              while (!done.get()) {
                long t0 = System.nanoTime();
                try {
                  HttpResponse<String> r = fixture.post(s, IngestFixture.VIEW);
                  synchronized (statuses) {
                    statuses.add(r.statusCode());
                    latencies.add((System.nanoTime() - t0) / 1e6);
                  }
                } catch (Exception ex) {
                  synchronized (statuses) {
                    statuses.add(-1);
                  }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
              }
            });
    try {
      await()
          .atMost(READ_TIMEOUT.plusSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> all.stream().allMatch(Dribbler::closed));
    } finally {
      done.set(true);
      ticker.shutdownNow();
    }
    normal.get(30, TimeUnit.SECONDS);

    double min = all.stream().mapToDouble(Dribbler::secondsOpen).min().orElseThrow();
    double max = all.stream().mapToDouble(Dribbler::secondsOpen).max().orElseThrow();
    double worst;
    synchronized (statuses) {
      worst = latencies.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
      System.out.printf(
          "slow-client figures: %d slow connections (12 dribbling headers, 12 dribbling bodies,"
              + " 1 byte / 2 s), read timeout %d s: cut off after %.2f..%.2f s;"
              + " %d normal requests meanwhile, statuses %s, max latency %.0f ms%n",
          all.size(),
          READ_TIMEOUT.toSeconds(),
          min,
          max,
          statuses.size(),
          new java.util.TreeSet<>(statuses),
          worst);
      assertThat(statuses).hasSizeGreaterThanOrEqualTo(15).containsOnly(202);
      assertThat(worst).as("max latency of a normal request, ms").isLessThan(3_000);
    }
    double deadline = READ_TIMEOUT.toMillis() / 1e3;
    assertThat(min).as("no slow client is cut before the deadline").isGreaterThan(deadline - 0.2);
    assertThat(max).as("every slow client is cut soon after it").isLessThan(deadline + 2.5);
    for (Dribbler d : bodyDribblers) {
      assertThat(d.statusLine).startsWith("HTTP/1.1 408");
    }
    for (Dribbler d : headerDribblers) {
      assertThat(d.statusLine).as("no answer to half a header").isEmpty();
    }
    assertThat(registry.get("pipeline.ingest.slow").functionCounter().count()).isEqualTo(12);
    assertThat(registry.get("pipeline.ingest.responses").tag("status", "408").counter().count())
        .isEqualTo(12);
  }

  @Test
  @Timeout(60)
  void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
    Server s = fixture.startShared("connlimit", "--to", "rabbitmq", "--max-connections", "2");
    int port = s.server().port();
    Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
    Socket b = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(a);
    sockets.add(b);
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = IngestFixture.jsonPost(s, IngestFixture.VIEW, Duration.ofMillis(1500));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.send(req, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    a.close();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                IngestFixture.jsonPost(s, IngestFixture.VIEW, Duration.ofSeconds(10)),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  @Test
  @Timeout(60)
  void stopRefusesNewConnectionsAndDrainsARequestInFlight() throws Exception {
    Server s = fixture.startShared("drain", "--to", "rabbitmq");
    int port = s.server().port();
    String full = request(IngestFixture.VIEW);
    int half = full.length() - 10;
    Dribbler inFlight = new Dribbler(port, full, half);
    // The request is in a handler (headers parsed, body incomplete) before the stop begins.
    await().atMost(Duration.ofSeconds(5)).until(() -> s.server().active() == 1);
    CompletableFuture<Long> stopped =
        CompletableFuture.supplyAsync(
            () -> {
              long t0 = System.nanoTime();
              s.server().stop(Duration.ofSeconds(20));
              return (System.nanoTime() - t0) / 1_000_000;
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return false;
              } catch (ConnectException refused) {
                return true;
              }
            });
    assertThat(stopped).isNotDone();
    OutputStream out = inFlight.socket.getOutputStream();
    out.write(full.substring(half).getBytes(StandardCharsets.UTF_8));
    out.flush();
    await().atMost(Duration.ofSeconds(10)).until(inFlight::closed);
    assertThat(inFlight.statusLine).startsWith("HTTP/1.1 202");
    assertThat(stopped.get(10, TimeUnit.SECONDS)).as("stop took, ms").isLessThan(15_000);
  }
}
