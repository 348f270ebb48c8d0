package io.pipeline.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes stack operations across JVMs ({@code .stack/.lock}, an OS file lock) and across
 * threads of one JVM (file locks are per process).
 */
public final class StackLock implements AutoCloseable {
  private static final ReentrantLock IN_JVM = new ReentrantLock();

  private final FileChannel channel;
  private final FileLock lock;

  private StackLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static StackLock acquire(Path stackDir) {
    IN_JVM.lock();
    try {
      Files.createDirectories(stackDir);
      FileChannel ch =
          FileChannel.open(
              stackDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        return new StackLock(ch, ch.lock());
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      IN_JVM.unlock();
      throw new StackException(
          "cannot lock " + stackDir.resolve(".lock") + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      IN_JVM.unlock();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock anyway
    } finally {
      IN_JVM.unlock();
    }
  }
}
