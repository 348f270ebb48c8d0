package io.pipeline.experiment.whybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller against a stand-in server: a refused request is resent with the same body until
 * accepted, and a first attempt's response time counts from its intended send time even when the
 * server stalls (coordinated omission).
 */
class OpenLoopClientTest {
  @TempDir Path dir;

  @Test
  void refusedRequestsAreResentWithTheSameIdAndAStallCountsFromTheIntendedTime() throws Exception {
    Path f = dir.resolve("why-broker-c.yaml");
    Files.writeString(
        f,
        String.join(
                "\n",
                "name: why-broker-c",
                "rate: 20",
                "steadyDuration: 1s",
                "outageDuration: 1s",
                "gapDuration: 1s",
                "burstFactor: 1",
                "burstDuration: 1s",
                "drainDuration: 1s",
                "mix: video.view=1")
            + "\n");
    WhyBrokerPlan plan = WhyBrokerPlan.of(io.pipeline.experiment.run.Scenario.load(f));
    LoadEvents load = LoadEvents.of(plan);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/events",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int n = requests.incrementAndGet();
          int attempt = seen.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
          if (n == 5) {
            sleep(600); // one stalled answer
          }
          int status = attempt == 1 && n % 4 == 0 ? 503 : 202;
          x.getResponseHeaders().add("Retry-After", "1");
          x.sendResponseHeaders(status, -1);
          x.close();
        });
    server.start();
    try (OpenLoopClient c =
        new OpenLoopClient(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events"),
            Duration.ofSeconds(3),
            1_000)) {
      long start = System.nanoTime();
      c.run(load, start);
      c.awaitSettled(System.nanoTime() + Duration.ofSeconds(20).toNanos());
    } finally {
      server.stop(0);
    }
    long refusedFirst = 0;
    for (int i = 0; i < load.size(); i++) {
      assertThat(load.acceptedNanos[i]).as("event %d accepted in the end", i).isPositive();
      if (load.firstStatus[i] == 503) {
        refusedFirst++;
        assertThat(load.attempts[i]).isEqualTo(2);
      }
    }
    assertThat(refusedFirst).isPositive();
    assertThat(seen.values()).allSatisfy(a -> assertThat(a.get()).isBetween(1, 2));
    long stalled =
        java.util.Arrays.stream(load.firstLatencyNanos).filter(n -> n >= 500_000_000L).count();
    assertThat(stalled).as("the stalled answer is measured from its intended time").isPositive();
    assertThat(load.size()).as("7 phases of 1 s at 20/s").isEqualTo(140);
  }

  @Test
  void resendsBackOffExponentiallyWithJitterNeverBeforeRetryAfter() {
    assertThat(OpenLoopClient.backoffNanos(1, 1, 0.5)).isEqualTo(1_000_000_000L);
    assertThat(OpenLoopClient.backoffNanos(3, 1, 0.5)).isEqualTo(4_000_000_000L);
    assertThat(OpenLoopClient.backoffNanos(20, 1, 0.5)).isEqualTo(16_000_000_000L);
    assertThat(OpenLoopClient.backoffNanos(1, 5, 0.5)).isEqualTo(5_000_000_000L);
    assertThat(OpenLoopClient.backoffNanos(2, 1, 0.0)).isEqualTo(1_000_000_000L);
    assertThat(OpenLoopClient.backoffNanos(2, 1, 0.999)).isLessThan(3_000_000_000L);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
