package io.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.DeadLetters;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * What Redis refuses for good and what the dead-letter path cannot take right now: a key of the
 * wrong type in the worker's namespace (WRONGTYPE) refuses exactly the events that touch it — they
 * are dead-lettered with Redis' reason while every other event is applied; a dead-letter queue that
 * is not bound (RabbitMQ returns the dead letter) holds the original unacked until it is bound
 * again, and nothing is lost.
 */
class CacheRefusalsIT {
  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void aWrongTypeKeyDeadLettersOnlyTheEventsThatTouchIt(BrokerKind broker) throws Exception {
    Endpoints e = CacheItSupport.endpoints();
    String prefix = TestServices.uniqueName("wrongtype");
    CacheItSupport.declare(broker, e, prefix);
    String blocked = CacheItSupport.phone();
    String fine = CacheItSupport.phone();
    CacheKeys keys = new CacheKeys(prefix);
    List<Event> events = new ArrayList<>(CacheItSupport.views(200, 5, "v"));
    events.addAll(CacheItSupport.sms(blocked, 3));
    events.addAll(CacheItSupport.sms(fine, 3));
    try (RedisClient redis = CacheItSupport.redis(e)) {
      redis.set(keys.smsWindow(blocked), "not a sorted set"); // a foreign key, wrong type
      try (WorkerRunner w = CacheItSupport.startWorker(broker, e, prefix)) {
        CacheItSupport.publishAll(broker, e, prefix, events);
        CacheItSupport.awaitViewSum(redis, keys, 200, Duration.ofSeconds(60));
        List<Delivery> dead =
            DeadLetters.read(
                broker,
                e,
                CacheItSupport.topology(prefix),
                Topology.CACHE,
                3,
                Duration.ofSeconds(60));
        assertThat(dead)
            .allSatisfy(
                d ->
                    assertThat(d.headers().get("x-dead-letter-reason"))
                        .contains("Redis refused it")
                        .contains("WRONGTYPE"));
        assertThat(dead)
            .allSatisfy(
                d -> assertThat(new String(d.body(), StandardCharsets.UTF_8)).contains(blocked));
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.zcard(keys.smsWindow(fine)) == 3);
        assertThat(w.isRunning()).isTrue();
        assertThat(CacheItSupport.viewSum(redis, keys)).isEqualTo(200);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void anUnboundRabbitDeadLetterQueueHoldsTheOriginalUntilItIsBoundAgain() throws Exception {
    BrokerKind broker = BrokerKind.RABBITMQ;
    Endpoints e = CacheItSupport.endpoints();
    String prefix = TestServices.uniqueName("unbound");
    CacheItSupport.declare(broker, e, prefix);
    QueueSpec cache = CacheItSupport.topology(prefix).queueForSink(Topology.CACHE);
    String dlx = cache.name() + ".dlx";
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(e.rabbitUri());
    try (com.rabbitmq.client.Connection c = f.newConnection("unbound-it");
        Channel admin = c.createChannel();
        RedisClient redis = CacheItSupport.redis(e);
        WorkerRunner w = CacheItSupport.startWorker(broker, e, prefix)) {
      // After the worker declared its topology (which binds the queue again).
      await().atMost(Duration.ofSeconds(30)).until(() -> w.http().checks().get("broker"));
      admin.queueUnbind(cache.deadLetterName(), dlx, "");
      CacheKeys keys = new CacheKeys(prefix);
      redis.set(keys.smsWindow("+4915100000001"), "wrong type");
      CacheItSupport.publishAll(
          broker, e, prefix, CacheItSupport.sms("+4915100000001", 1)); // will be refused
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> CacheItSupport.meter(w.registry(), "pipeline.sink.retries") >= 2);
      // Not acked: still on the work queue (unacked), nothing in the dead-letter queue.
      assertThat(admin.messageCount(cache.deadLetterName())).isZero();
      assertThat(w.isRunning()).isTrue();

      admin.queueBind(cache.deadLetterName(), dlx, "");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.messageCount(cache.deadLetterName()) == 1);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.queueDeclarePassive(cache.name()).getMessageCount() == 0);
    }
  }
}
