package io.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.ChildJvm;
import io.pipeline.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker process tells its supervisor the truth: it exits 1 (with a log line naming the error)
 * when its loop dies of an unexpected error, and cleanly after a SIGTERM that drained it.
 */
class WorkerExitIT {
  private static Process start(String mode, String prefix, Path log) throws Exception {
    return ChildJvm.start(
        ExitStatusWorkerMain.class, TestServices.shared().asEnv(), log, mode, prefix);
  }

  /** A fresh topology with one valid event waiting, and a worker process in {@code mode} on it. */
  private static Process startWithOneEventWaiting(String mode, Path log) throws Exception {
    Endpoints e = TestServices.shared();
    String prefix = TestServices.uniqueName("exit");
    Topology t = WorkerSettings.of(BrokerKind.RABBITMQ, prefix).topology();
    Brokers.declare(BrokerKind.RABBITMQ, e, t);
    publishOne(e, t);
    return start(mode, prefix, log);
  }

  private static void publishOne(Endpoints e, Topology t) throws Exception {
    Event ev = Events.videoView(Uuid7.next(), "v1", "u1", Instant.now());
    try (Publisher p =
        Brokers.publisher(BrokerKind.RABBITMQ, e, t, PublisherOptions.defaults("exit-it"))) {
      p.publish(
              new OutboundMessage(
                  ev.id().toString(), "video.view", "v1", EventCodec.encode(ev), Map.of()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWorkerWhoseLoopDiesExitsWithStatusOneAndSaysWhy() throws Exception {
    Path log = Files.createTempFile("worker-exit", ".log");
    Process p = startWithOneEventWaiting("crash", log);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the process ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log))
        .contains("exits with status 1")
        .contains("simulated bug in the sink");
  }

  @Test
  void aWorkerStoppedBySigtermDrainsAndExitsCleanly() throws Exception {
    Path log = Files.createTempFile("worker-exit", ".log");
    Process p = startWithOneEventWaiting("healthy", log);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> Files.readString(log).contains("applied 1"));
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      // The JVM reports a SIGTERM it handled as 143 (128 + 15), which supervisors treat as a
      // clean stop (systemd's default clean signals; a restart policy on-failure does not fire).
      assertThat(p.exitValue()).isIn(0, 143);
      assertThat(Files.readString(log)).contains("worker stopped").doesNotContain("exits with");
    } finally {
      p.destroyForcibly();
    }
  }
}
