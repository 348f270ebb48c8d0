package io.pipeline.ledger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends ledger entries from any thread without slowing the caller: entries go to an unbounded
 * in-memory queue drained by one writer thread in large buffered chunks. {@link #close()} drains
 * everything and fsyncs, so a finished run's ledger is complete. Meanwhile the buffer reaches the
 * file at least every {@link #FLUSH_INTERVAL}, busy or idle, so a producer killed with SIGKILL
 * loses at most that much of its ledger (plus a torn last line, which {@link Ledger} skips).
 */
public final class LedgerWriter implements AutoCloseable {
  /** Longest time a written entry stays in the process's buffer. */
  static final Duration FLUSH_INTERVAL = Duration.ofMillis(500);

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Object endMarker = new Object();
  private final Thread thread;
  private final Path path;
  private final AtomicLong written = new AtomicLong();
  private volatile IOException failure;

  public LedgerWriter(Path path) throws IOException {
    this.path = path;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    out.write(LedgerEntry.HEADER);
    out.write('\n');
    out.flush();
    this.thread = new Thread(() -> drain(out), "ledger-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an entry; never blocks. */
  public void append(LedgerEntry e) {
    queue.add(e);
  }

  public long written() {
    return written.get();
  }

  public Path path() {
    return path;
  }

  private void drain(BufferedWriter out) {
    List<Object> chunk = new ArrayList<>(4096);
    long interval = FLUSH_INTERVAL.toNanos();
    long nextFlush = System.nanoTime() + interval;
    try (out) {
      boolean done = false;
      while (!done) {
        Object first = queue.poll(Math.max(0, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (System.nanoTime() - nextFlush >= 0) {
          out.flush();
          nextFlush = System.nanoTime() + interval;
        }
        if (first == null) {
          continue;
        }
        chunk.add(first);
        queue.drainTo(chunk, 65_536);
        for (Object o : chunk) {
          if (o == endMarker) {
            done = true;
            break;
          }
          out.write(((LedgerEntry) o).toLine());
          out.write('\n');
          written.incrementAndGet();
        }
        chunk.clear();
      }
      out.flush();
    } catch (IOException ex) {
      failure = ex;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    queue.add(endMarker);
    try {
      thread.join();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
    try (var ch =
        java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
