package io.pipeline.broker.rabbitmq;

import com.rabbitmq.stream.ConsumerFlowStrategy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Stream flow control bounded by records, not chunks. A credit lets the broker send one chunk, and
 * a chunk holds anything from one record (written at a low publish rate) to thousands (a burst): a
 * fixed number of chunks in flight either starves the worker or floods the buffer. So each chunk
 * that arrives asks for as many more as, at its size, would fill the buffer up to {@code limit}
 * records (at most {@link #MAX_IN_FLIGHT} in flight); when the buffer is full and nothing is in
 * flight, the credit for one more waits until this chunk's first record is handed to the worker.
 * The flow never stops while the worker takes records.
 */
final class BufferFlow implements ConsumerFlowStrategy {
  /** Most chunks asked for and not yet arrived. */
  static final int MAX_IN_FLIGHT = 100;

  private final IntSupplier buffered;
  private final int limit;
  private final int initialCredits;
  private final AtomicInteger inFlight;

  /**
   * @param buffered records in the reader's buffer now
   * @param limit records the buffer should hold at most (about)
   * @param initialCredits chunks asked for at subscription
   */
  BufferFlow(IntSupplier buffered, int limit, int initialCredits) {
    this.buffered = buffered;
    this.limit = limit;
    this.initialCredits = initialCredits;
    this.inFlight = new AtomicInteger(initialCredits);
  }

  @Override
  public int initialCredits() {
    return initialCredits;
  }

  @Override
  public MessageProcessedCallback start(Context chunk) {
    int coming = Math.max(0, inFlight.decrementAndGet());
    long size = Math.max(1, chunk.messageCount());
    int want = credits(buffered.getAsInt(), coming, size);
    if (want > 0) {
      inFlight.addAndGet(want);
      chunk.credits(want);
      return record -> {};
    }
    if (coming > 0) {
      return record -> {}; // the chunks on their way ask for more when they arrive
    }
    AtomicBoolean asked = new AtomicBoolean();
    return record -> {
      if (asked.compareAndSet(false, true)) {
        inFlight.incrementAndGet();
        chunk.credits(1);
      }
    };
  }

  /** Chunks of {@code size} records to ask for now, with {@code coming} already on their way. */
  int credits(int buffered, int coming, long size) {
    long room = limit - buffered - (long) coming * size - size; // this chunk lands in the buffer
    long want = room <= 0 ? 0 : (room + size - 1) / size;
    return (int) Math.max(0, Math.min(want, MAX_IN_FLIGHT - coming));
  }
}
