package io.geneva.internal.job;

import io.geneva.GenevaException;
import java.time.Duration;

/**
 * An attempt did not finish within its job's task timeout: it was abandoned and its worker stopped,
 * since a task that ignores interruption would otherwise keep the worker busy for ever.
 */
public final class TaskTimeoutException extends GenevaException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  /** Creates an exception naming the attempt, the worker and the timeout. */
  public TaskTimeoutException(int partition, int attempt, String worker, Duration timeout) {
    super("attempt " + attempt + " of partition " + partition + " did not finish within " + timeout
        + " (the job's task timeout); worker " + worker + " was stopped. If the task needs longer,"
        + " raise it with Job.taskTimeout(Duration)", null);
    this.timeout = timeout;
  }

  /** The task timeout that ran out. */
  public Duration timeout() {
    return timeout;
  }
}
