package io.geneva.spi;

import io.geneva.WorkerReport;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A provisioned cluster as a session uses it. Thread-safe.
 *
 * <p>{@link #close(boolean)} applies the spec's exit policy; it is idempotent and throws nothing.
 */
public interface Cluster extends AutoCloseable {

  /** A one-line description for reports, for example {@code local "default": 3 workers (2 reused)}. */
  String description();

  /**
   * Makes every worker bootstrap this manifest now, and reports what each did. A worker lost during
   * the warmup should not fail it while others can be made ready: replace it where the cluster can
   * ({@link io.geneva.WorkerReport#replaced()}), or leave it out of the reports.
   *
   * @throws io.geneva.GenevaException if a worker cannot bootstrap for another reason than being lost,
   *     or no worker could be made ready
   */
  List<WorkerReport> warmup(URI manifestUri);

  /**
   * Runs the job. The future completes with one outcome per partition in partition order, or
   * exceptionally with an {@link io.geneva.JobException}; cancelling it stops the job.
   */
  CompletableFuture<List<PartitionOutcome>> run(JobRequest request, JobObserver observer);

  /**
   * Releases the cluster by its exit policy.
   *
   * @param sessionFailed whether a job of the session failed (for {@link
   *     io.geneva.ExitPolicy#RETAIN_ON_FAILURE})
   */
  void close(boolean sessionFailed);

  /** Closes as after a session without failures. */
  @Override
  default void close() {
    close(false);
  }
}
