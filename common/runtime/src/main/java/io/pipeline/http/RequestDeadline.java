package io.pipeline.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Closes a connection whose next request has not arrived whole within the timeout of its first
 * byte. Jetty's idle timeout alone does not do it: a client that sends one byte every two seconds
 * is never idle, and would hold its connection (and, with a blocking read, a thread) for as long as
 * it likes. Jetty parses request headers without a thread, so this only has to watch the bytes:
 * every 200 ms it looks at each connection that has no request in a handler, notes when bytes of a
 * new request first showed up, and closes it once that is longer ago than the timeout. Handlers
 * that read a body bound that phase themselves (ingest answers 408).
 */
final class RequestDeadline extends ContainerLifeCycle implements Connection.Listener {
  private static final long SWEEP_MILLIS = 200;

  private final long timeoutNanos;
  private final Map<Connection, Track> tracks = new ConcurrentHashMap<>();
  private final AtomicLong cutOff = new AtomicLong();
  private final ScheduledExecutorScheduler scheduler;

  RequestDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.scheduler = new ScheduledExecutorScheduler("request-deadline", true);
    addBean(scheduler);
  }

  /** Per connection: whether a handler has its request, and since when a new one is arriving. */
  private static final class Track {
    boolean inHandler;
    long idleBytes;
    long firstByteNanos = -1;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    scheduler.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    tracks.put(connection, new Track());
  }

  @Override
  public void onClosed(Connection connection) {
    tracks.remove(connection);
  }

  long cutOff() {
    return cutOff.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Connection, Track> e : tracks.entrySet()) {
      Connection c = e.getKey();
      Track t = e.getValue();
      boolean cut;
      synchronized (t) {
        if (t.inHandler) {
          continue;
        }
        if (t.firstByteNanos < 0) {
          if (c.getBytesIn() > t.idleBytes) {
            t.firstByteNanos = now;
          }
          continue;
        }
        cut = now - t.firstByteNanos > timeoutNanos;
      }
      if (cut) {
        cutOff.incrementAndGet();
        tracks.remove(c);
        c.getEndPoint()
            .close(new TimeoutException("request not complete within " + timeoutNanos + "ns"));
      }
    }
    if (isRunning()) {
      scheduler.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Marks the connection busy while {@code next} handles its request. */
  Handler wrap(Handler next) {
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        Connection c = request.getConnectionMetaData().getConnection();
        Track t = tracks.get(c);
        if (t != null) {
          synchronized (t) {
            t.inHandler = true;
          }
          Request.addCompletionListener(
              request,
              failure -> {
                synchronized (t) {
                  t.inHandler = false;
                  t.idleBytes = c.getBytesIn();
                  t.firstByteNanos = -1;
                }
              });
        }
        return super.handle(request, response, callback);
      }
    };
  }
}
