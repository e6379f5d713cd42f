package io.geneva;

/**
 * A task's own exception, thrown on a worker and carried back: its class name, message and stack
 * trace (the worker's frames). The original exception object is not sent, as its class may not exist
 * in the session's JVM.
 */
public class TaskFailedException extends GenevaException {
  private static final long serialVersionUID = 1L;

  private final String exceptionClass;

  /**
   * @param exceptionClass the class name of the exception the task threw
   * @param message its message, possibly empty
   * @param stackTrace its frames on the worker
   */
  public TaskFailedException(String exceptionClass, String message, StackTraceElement[] stackTrace) {
    super(message.isEmpty() ? exceptionClass : exceptionClass + ": " + message);
    this.exceptionClass = exceptionClass;
    setStackTrace(stackTrace);
  }

  /** The class name of the exception the task threw. */
  public String exceptionClass() {
    return exceptionClass;
  }
}
