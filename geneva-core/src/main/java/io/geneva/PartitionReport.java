package io.geneva;

import java.util.Objects;

/**
 * How one partition of a job ran.
 *
 * @param index the partition
 * @param attempts how many attempts it took (1 if the first succeeded)
 * @param worker the worker whose attempt succeeded
 */
public record PartitionReport(int index, int attempts, String worker) {
  /** Checks the components. */
  public PartitionReport {
    Objects.requireNonNull(worker, "worker");
  }
}
