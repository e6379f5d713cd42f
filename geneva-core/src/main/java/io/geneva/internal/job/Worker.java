package io.geneva.internal.job;

import io.geneva.spi.JobRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One worker as the {@link JobRunner} sees it: something that runs one partition attempt at a time.
 * The transport (a socket to a local JVM, a Ray actor) is the implementation's business.
 */
public interface Worker {

  /** The worker's name, for reports and messages. */
  String name();

  /**
   * Runs one attempt of one partition. The future completes with the result in Java serialization,
   * or exceptionally with a {@link io.geneva.TaskFailedException} (the task threw: retry), a {@link
   * WorkerLostException} (the worker is gone: retry elsewhere, never use this worker again) or a
   * {@link TaskSetupException} (no attempt anywhere can succeed). Cancelling the future interrupts
   * the attempt.
   */
  CompletableFuture<byte[]> run(JobRequest request, int partition, int attempt);

  /**
   * Stops the worker because an attempt on it ran past the job's task timeout: a task that ignores
   * interruption would otherwise keep it busy for ever. The runner gives it no more work. The
   * default does nothing beyond the attempt's cancellation, for transports that cannot stop a worker.
   */
  default void stop() {}
}
