package io.pipeline.cli.consume;

import io.pipeline.worker.WorkerSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A {@code pipeline consume <sink>} command: the shared {@link WorkerFlags}, the sink's own flags
 * (validated by {@link #settings}), then the sink's worker until SIGTERM.
 *
 * @param <S> the sink's settings record
 */
public abstract class WorkerCommand<S> implements Callable<Integer> {
  @Mixin WorkerFlags flags;

  /** The validated settings of the sink's own flags. */
  protected abstract S settings();

  /** Runs the sink's worker until shutdown; returns its exit status. */
  protected abstract int run(WorkerSettings worker, S sink) throws Exception;

  @Override
  public final Integer call() throws Exception {
    return run(flags.settings(), settings());
  }
}
