package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.stream.ConsumerBuilder;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.MessageHandler;
import com.rabbitmq.stream.OffsetSpecification;
import com.rabbitmq.stream.Resource;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live and the replay reader of the RabbitMQ stream share: a stream-client consumer whose
 * messages land, in offset order, in a local buffer that {@link #poll} drains. Flow control ({@link
 * BufferFlow}) keeps the buffer about a prefetch of records long however large the backlog, and
 * never lets the worker wait for a chunk while the buffer is short. A record older than {@link
 * RabbitStreams#MAX_AGE} is never handed out (skipped and counted): the dedup marks need to cover
 * that long, no longer. Dead letters go to the sink's dead-letter queue over AMQP (opened at the
 * first one). The client reconnects by itself and resumes after the last record it received;
 * records already buffered stay.
 */
abstract class StreamReading implements Consumer {
  private static final Logger log = LoggerFactory.getLogger(StreamReading.class);

  /** Chunks the broker may send before the first arrives (then {@link BufferFlow} decides). */
  private static final int CREDITS = 10;

  /** Ack token: the record's offset and its handler context (flow credit once handed out). */
  record Position(long offset, MessageHandler.Context context) {}

  protected final Endpoints endpoints;
  protected final ConsumerOptions options;
  protected final String stream;
  private final DeliveryBuffer buffer = new DeliveryBuffer();
  private final AtomicLong expired = new AtomicLong();
  protected final Environment environment;
  private volatile com.rabbitmq.stream.Consumer consumer;
  private volatile boolean connected;
  private Connection deadLetterConnection;
  private RabbitDeadLetters deadLetters;
  private long pendingDeadLetter = -1;

  StreamReading(Endpoints endpoints, ConsumerOptions options, String stream) {
    this.endpoints = endpoints;
    this.options = options;
    this.stream = stream;
    this.environment = RabbitStreams.environment(endpoints, options.clientId());
  }

  /**
   * Subscribes from {@code start}; {@code trackingName} non-null stores offsets under that name
   * (and a stored offset then wins over {@code start}).
   */
  protected final void subscribe(OffsetSpecification start, String trackingName) {
    ConsumerBuilder b =
        environment.consumerBuilder().stream(stream)
            .offset(start)
            .listeners(
                ctx -> {
                  connected = ctx.currentState() == Resource.State.OPEN;
                  if (!connected) {
                    wakeup();
                  }
                })
            .messageHandler(this::received);
    if (trackingName != null) {
      b = b.name(trackingName).manualTrackingStrategy().builder();
    } else {
      b = b.noTrackingStrategy();
    }
    consumer =
        b.flow()
            .strategy(new BufferFlow(buffer::size, Math.max(options.prefetch(), 500), CREDITS))
            .builder()
            .build();
    connected = true;
    log.info("consuming RabbitMQ stream {} from {}", stream, start);
  }

  private void received(MessageHandler.Context ctx, com.rabbitmq.stream.Message m) {
    long cutoff = System.currentTimeMillis() - RabbitStreams.MAX_AGE.toMillis();
    if (ctx.timestamp() < cutoff || !inRange(ctx.offset())) {
      ctx.processed();
      if (ctx.timestamp() < cutoff && inRange(ctx.offset())) {
        expired.incrementAndGet();
        skippedOld(ctx.offset());
      }
      return;
    }
    buffer.add(
        new Delivery(
            m.getBodyAsBinary(),
            RabbitStreams.headers(m),
            stream + "@" + ctx.offset(),
            false,
            new Position(ctx.offset(), ctx)));
  }

  /** Whether a record at {@code offset} belongs to what this reader reads. */
  protected boolean inRange(long offset) {
    return true;
  }

  /** A record of the range older than the max age was skipped. */
  protected void skippedOld(long offset) {}

  /** Records skipped because they were older than {@link RabbitStreams#MAX_AGE}. */
  long expired() {
    return expired.get();
  }

  /** After a batch: the highest offset acknowledged (dead letters included) and the batch. */
  protected abstract void acknowledged(long highestOffset, int records);

  @Override
  public BrokerKind kind() {
    return BrokerKind.RABBITMQ;
  }

  @Override
  public List<Delivery> poll(int maxBatch, Duration maxWait) {
    List<Delivery> out = buffer.take(maxBatch, maxWait);
    for (Delivery d : out) {
      ((Position) d.token()).context().processed();
    }
    return out;
  }

  @Override
  public void ack(List<Delivery> batch) {
    long max = pendingDeadLetter;
    int records = pendingDeadLetter >= 0 ? 1 : 0;
    pendingDeadLetter = -1;
    for (Delivery d : batch) {
      Position p = (Position) d.token();
      max = Math.max(max, p.offset());
      records++;
    }
    if (max >= 0) {
      acknowledged(max, records);
    }
  }

  @Override
  public void deadLetter(Delivery d, String reason) throws DeadLetterException {
    Position p = (Position) d.token();
    try {
      if (deadLetters == null) {
        deadLetterConnection =
            RabbitAdapter.connect(endpoints, options.clientId() + "-dead-letters");
        deadLetters = new RabbitDeadLetters(deadLetterConnection, options.queue().name());
      }
    } catch (IOException | RuntimeException ex) {
      closeDeadLetters();
      throw new DeadLetterException(
          "could not open the dead-letter channel for " + d.origin() + ": " + ex, ex);
    }
    try {
      deadLetters.publish(d, reason, stream);
    } catch (DeadLetterException ex) {
      closeDeadLetters();
      throw ex;
    }
    pendingDeadLetter = Math.max(pendingDeadLetter, p.offset());
  }

  @Override
  public void idle(Duration wait) {
    buffer.sleep(wait);
  }

  /** Records received and not yet handed out. */
  protected int buffered() {
    return buffer.size();
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void wakeup() {
    buffer.wakeup();
  }

  private void closeDeadLetters() {
    Connection c = deadLetterConnection;
    deadLetterConnection = null;
    deadLetters = null;
    if (c != null) {
      c.abort(1_000);
    }
  }

  @Override
  public void close() {
    connected = false;
    com.rabbitmq.stream.Consumer c = consumer;
    consumer = null;
    try {
      if (c != null) {
        c.close();
      }
    } catch (RuntimeException ex) {
      log.debug("closing the stream consumer: {}", ex.toString());
    }
    try {
      environment.close();
    } catch (RuntimeException ex) {
      log.debug("closing the stream environment: {}", ex.toString());
    }
    closeDeadLetters();
  }

  /** The client consumer, for offset storage; null once closed. */
  protected com.rabbitmq.stream.Consumer clientConsumer() {
    return consumer;
  }
}
