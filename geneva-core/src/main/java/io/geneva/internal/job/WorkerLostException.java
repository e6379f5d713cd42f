package io.geneva.internal.job;

import io.geneva.GenevaException;

/** A worker died or became unreachable while it held an attempt. */
public final class WorkerLostException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the worker and what was seen. */
  public WorkerLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
