package io.geneva;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted job. Thread-safe.
 *
 * @param <R> the result of one partition
 */
public interface JobHandle<R> {

  /** The job's id. */
  String id();

  /**
   * Completes with the result, or exceptionally with a {@link JobException} (or a {@link
   * GenevaException} of another kind, such as a {@link ProvisioningException}).
   */
  CompletableFuture<JobResult<R>> result();

  /**
   * Waits for the job.
   *
   * @throws JobException if the job failed or was cancelled
   * @throws GenevaException if the cluster failed
   */
  JobResult<R> join();

  /** Stops the job: no partition starts any more, and running ones are interrupted. Idempotent. */
  void cancel();
}
