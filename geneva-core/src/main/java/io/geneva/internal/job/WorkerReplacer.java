package io.geneva.internal.job;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a worker in place of one the {@link JobRunner} lost (it died, or it was stopped after a task
 * timeout), so a job keeps its parallelism and a job whose last worker died can still finish.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface WorkerReplacer {
  /** Replaces nothing: the job goes on with the workers it has left. */
  WorkerReplacer NONE = lost -> CompletableFuture.completedFuture(Optional.empty());

  /**
   * Starts a replacement for a lost worker, in the background.
   *
   * @return a future of the new worker, empty if none can be started (the cluster is closing, say);
   *     it may also complete exceptionally, which the runner treats as empty
   */
  CompletableFuture<Optional<Worker>> replace(Worker lost);
}
