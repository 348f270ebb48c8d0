package io.pipeline.producer.ingest;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body as Jetty delivers it, without blocking: when no bytes are there it asks to
 * be called back and returns the thread, so a slow client costs a connection, not a handler thread.
 * Answers 408 if the body is not whole within the read timeout of the request's first byte, and
 * hands a body larger than the limit to {@code tooLarge}.
 */
final class BodyReader implements Runnable {
  private final Exchange x;
  private final int maxBodyBytes;
  private final Duration readTimeout;
  private final Consumer<Exchange> tooLarge;
  private final BiConsumer<Exchange, byte[]> whole;
  private final Scheduler.Task timer;
  private byte[] buf = new byte[1024];
  private int size;

  BodyReader(
      Exchange x,
      IngestServer.Limits limits,
      Consumer<Exchange> tooLarge,
      BiConsumer<Exchange, byte[]> whole) {
    this.x = x;
    this.maxBodyBytes = limits.maxBodyBytes();
    this.readTimeout = limits.readTimeout();
    this.tooLarge = tooLarge;
    this.whole = whole;
    long left = x.request.getBeginNanoTime() + readTimeout.toNanos() - System.nanoTime();
    this.timer =
        x.request
            .getComponents()
            .getScheduler()
            .schedule(this::timeout, Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  private void timeout() {
    if (x.answered.get()) {
      return;
    }
    x.reject(
        408,
        "body",
        "not complete within "
            + readTimeout.toMillis()
            + " ms (--read-timeout); nothing was published");
  }

  @Override
  public void run() {
    try {
      while (!x.answered.get()) {
        Content.Chunk chunk = x.request.read();
        if (chunk == null) {
          x.request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          timer.cancel();
          // The client went away or the connection failed: nobody is there to answer.
          x.answered.set(true);
          x.callback.failed(chunk.getFailure());
          return;
        }
        ByteBuffer b = chunk.getByteBuffer();
        boolean last = chunk.isLast();
        if (size + b.remaining() > maxBodyBytes) {
          chunk.release();
          timer.cancel();
          tooLarge.accept(x);
          return;
        }
        if (size + b.remaining() > buf.length) {
          buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.remaining()));
        }
        int n = b.remaining();
        b.get(buf, size, n);
        size += n;
        chunk.release();
        if (last) {
          if (timer.cancel()) {
            whole.accept(x, Arrays.copyOf(buf, size));
          }
          return;
        }
      }
    } catch (RuntimeException ex) {
      timer.cancel();
      x.internalError(ex);
    }
  }
}
