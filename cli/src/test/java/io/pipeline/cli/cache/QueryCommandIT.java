package io.pipeline.cli.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheSink;
import io.pipeline.cache.Durability;
import io.pipeline.cache.Redis;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.event.Event;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.sink.Received;
import io.pipeline.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pipeline query} prints what the cache sink wrote for the run named by --prefix. */
class QueryCommandIT {
  static final String PHONE = "+4915100000001";
  static String prefix;

  @BeforeAll
  static void writeData() throws Exception {
    Endpoints e = Endpoints.fromEnv(TestServices.shared().asEnv());
    prefix = TestServices.uniqueName("cachequery");
    // v1 viewed 3 times, v2 once; 7 SMS to one phone (5 sent, 2 throttled).
    List<Event> events = new ArrayList<>();
    Stream.of("v1", "v1", "v1", "v2")
        .forEach(v -> events.add(Events.videoView(Uuid7.next(), v, "u1", Instant.now())));
    IntStream.range(0, 7)
        .forEach(i -> events.add(Events.smsSend(Uuid7.next(), PHONE, "hi", Instant.now())));
    try (CacheSink sink =
        new CacheSink(
            Redis.client(e.redisUrl(), "query-it"),
            CacheKeys.forRun(prefix, ""),
            new RedisDedup(DedupScope.of("cache"), Duration.ofHours(1)),
            Durability.PROCESS)) {
      assertThat(
              sink.apply(
                      events.stream()
                          .map(ev -> new Received(ev, BrokerKind.KAFKA, "it", false))
                          .toList())
                  .applied())
          .isEqualTo(events.size());
    }
  }

  record Run(int code, String out) {}

  static Run query(String... args) {
    QueryCommand q = new QueryCommand();
    q.env = TestServices.shared().asEnv();
    CommandLine cl = new CommandLine(q);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new ByteArrayOutputStream(), true));
    List<String> all = new ArrayList<>(List.of("--prefix=" + prefix));
    all.addAll(List.of(args));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString());
  }

  @Test
  void queryCommandPrintsTheSameAnswers() {
    assertThat(query("views", "v1").out).contains("\"views\" : 3");
    assertThat(query("views", "nope").code).isEqualTo(1);
    assertThat(query("views", "bad id").code).isEqualTo(2);
    assertThat(query("top", "--n", "1").out).contains("\"videoId\" : \"v1\"");
    assertThat(query("top", "--n", "0").code).isEqualTo(2);
    Run sms = query("sms", PHONE);
    assertThat(sms.code).isZero();
    assertThat(sms.out).contains("\"sentInWindow\" : 5");
    assertThat(query("sms", "123").code).isEqualTo(2);
  }

  @Test
  void anotherPrefixIsAnotherRun() {
    QueryCommand q = new QueryCommand();
    q.env = TestServices.shared().asEnv();
    CommandLine cl = new CommandLine(q);
    cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
    cl.setErr(new PrintWriter(new ByteArrayOutputStream(), true));
    assertThat(cl.execute("views", "v1", "--prefix", prefix))
        .as("--prefix after the subcommand")
        .isZero();
    assertThat(cl.execute("views", "v1", "--prefix", prefix + "-other")).isEqualTo(1);
  }
}
