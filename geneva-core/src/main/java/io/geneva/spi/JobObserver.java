package io.geneva.spi;

/**
 * Hears about partitions as a cluster runs them. Called from the cluster's threads; implementations
 * must be thread-safe and quick.
 */
public interface JobObserver {
  /** Ignores everything. */
  JobObserver NONE = new JobObserver() {};

  /** An attempt at a partition was sent to a worker. */
  default void started(int partition, int attempt, String worker) {}

  /** A partition's attempt succeeded. */
  default void succeeded(int partition, int attempt, String worker) {}

  /** A partition's result was committed: every partition before it is committed too. */
  default void committed(int partition) {}

  /**
   * A partition's result was committed, with the result: every partition before it is committed too.
   * By default, calls {@link #committed(int)}; an observer that forwards results (a coordinator
   * writing them where its session reads them) overrides this one instead.
   */
  default void committed(PartitionOutcome outcome) {
    committed(outcome.index());
  }

  /**
   * An attempt at a partition failed.
   *
   * @param retrying whether the partition will be tried again
   */
  default void failed(int partition, int attempt, String worker, Throwable cause, boolean retrying) {}
}
