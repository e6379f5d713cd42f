package io.geneva;

import java.util.OptionalInt;

/**
 * A job could not succeed. The message names the partition and the worker; the cause, when a task
 * threw, is a {@link TaskFailedException} carrying the task's own exception class, message and stack.
 */
public class JobException extends GenevaException {
  private static final long serialVersionUID = 1L;

  private final int partition;

  /** A failure not tied to one partition (a task class that cannot load, no worker left). */
  public JobException(String message, Throwable cause) {
    super(message, cause);
    this.partition = -1;
  }

  /** A failure of one partition. */
  public JobException(String message, int partition, Throwable cause) {
    super(message, cause);
    this.partition = partition;
  }

  /** The partition that failed, if the failure is one partition's. */
  public OptionalInt partition() {
    return partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition);
  }
}
