package io.pipeline.broker;

/**
 * A bounded {@link Consumer} of a log: it reads from a {@link ReplayStart} up to the end the log
 * had when the reader opened, then delivers nothing more. It belongs to no consumer group and
 * commits nothing, so the sink's live workers and their positions are left alone; what it hands out
 * is applied through the sink's own dedup, so a record the sink applied before is a counted
 * duplicate and a record the sink missed is applied now.
 */
public interface ReplayReader extends Consumer {
  /**
   * Offsets between the start and the end as opened: the records the replay will read (a RabbitMQ
   * stream also numbers its own bookkeeping entries, e.g. stored offsets, so there it is an upper
   * bound).
   */
  long total();

  /**
   * Offsets of the range not yet acknowledged: unread, buffered or handed out. Safe from any
   * thread.
   */
  long remaining();

  /**
   * True once every record of the range was handed out and acknowledged (applied, skipped as a
   * duplicate or dead-lettered). Safe from any thread.
   */
  boolean finished();
}
