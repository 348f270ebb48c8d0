package io.pipeline.broker.rabbitmq;

import com.rabbitmq.stream.OffsetSpecification;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.ReplayReader;
import io.pipeline.broker.ReplayStart;
import io.pipeline.config.Endpoints;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a range of the RabbitMQ stream for a replay: from the start (the first record still within
 * {@link RabbitStreams#MAX_AGE}, or the first chunk written at or after an instant — by the
 * broker's write time, to the chunk: a few records before the instant may come too) up to the
 * stream's last record when it opened. No offset is stored, so the sink's live readers keep their
 * position; records past the end are not handed out.
 */
final class RabbitStreamReplay extends StreamReading implements ReplayReader {
  private static final Logger log = LoggerFactory.getLogger(RabbitStreamReplay.class);

  private final long first;
  private final long last;
  private final long total;
  private final AtomicLong done;

  RabbitStreamReplay(
      Endpoints endpoints, ConsumerOptions options, String stream, ReplayStart start) {
    super(endpoints, options, stream);
    try {
      last = RabbitStreams.lastOffset(environment, stream);
      long oldest = System.currentTimeMillis() - RabbitStreams.MAX_AGE.toMillis();
      long from = Math.max(oldest, start.at().map(Instant::toEpochMilli).orElse(0L));
      first = last < 0 ? 0 : firstOffsetFrom(from);
      total = Math.max(0, last - first + 1);
      done = new AtomicLong(first - 1);
      log.info(
          "replaying RabbitMQ stream {} from {}: offsets {}..{} ({} records)",
          stream,
          start,
          first,
          last,
          total);
      if (total > 0) {
        subscribe(OffsetSpecification.offset(first), null);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while opening the stream replay", ex);
    } catch (RuntimeException ex) {
      close();
      throw ex;
    }
  }

  /** The offset of the first record at or after {@code epochMillis}; past the end if none. */
  private long firstOffsetFrom(long epochMillis) throws InterruptedException {
    AtomicLong found = new AtomicLong(-1);
    try (com.rabbitmq.stream.Consumer probe =
        environment.consumerBuilder().stream(stream)
            .offset(OffsetSpecification.timestamp(epochMillis))
            .noTrackingStrategy()
            .messageHandler((ctx, m) -> found.compareAndSet(-1, ctx.offset()))
            .build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (found.get() < 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    long f = found.get();
    return f < 0 || f > last ? last + 1 : f;
  }

  @Override
  protected boolean inRange(long offset) {
    return offset >= first && offset <= last;
  }

  @Override
  protected void skippedOld(long offset) {
    if (buffered() == 0) {
      done.accumulateAndGet(offset, Math::max);
    }
  }

  @Override
  protected void acknowledged(long highestOffset, int records) {
    done.accumulateAndGet(highestOffset, Math::max);
  }

  @Override
  public long total() {
    return total;
  }

  @Override
  public long remaining() {
    return total == 0 ? 0 : Math.max(0, last - done.get());
  }

  @Override
  public boolean finished() {
    return remaining() == 0;
  }

  @Override
  public long backlog() {
    return remaining();
  }
}
