package io.geneva;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A finished job: the tasks' results in partition order, and how each partition ran.
 *
 * @param jobId the job's id
 * @param results one result per partition, in partition order (elements may be null)
 * @param partitions how each partition ran, in partition order
 * @param elapsed from submission to the last result
 * @param <R> the result of one partition
 */
public record JobResult<R>(String jobId, List<R> results, List<PartitionReport> partitions, Duration elapsed) {
  /** Copies the lists (results may hold nulls). */
  public JobResult {
    Objects.requireNonNull(jobId, "jobId");
    results = Collections.unmodifiableList(new ArrayList<>(results));
    partitions = List.copyOf(partitions);
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
