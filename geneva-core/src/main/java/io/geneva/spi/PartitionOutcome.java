package io.geneva.spi;

import java.util.Objects;

/**
 * One partition's successful result as it left the worker.
 *
 * @param index the partition
 * @param attempts how many attempts it took
 * @param worker the worker that produced it
 * @param value the task's result in Java serialization
 */
public record PartitionOutcome(int index, int attempts, String worker, byte[] value) {
  /** Checks the components. */
  public PartitionOutcome {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(value, "value");
  }
}
