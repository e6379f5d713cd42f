package io.geneva.internal.job;

import io.geneva.GenevaException;

/**
 * A failure no retry can fix: the task class is missing from the manifest's classpath or is not a
 * task, the manifest cannot be bootstrapped, a result cannot be serialized.
 */
public final class TaskSetupException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public TaskSetupException(String message) {
    super(message);
  }
}
