package io.geneva;

/**
 * A storage operation failed. {@link #retryable()} says whether trying again may succeed (a timeout,
 * throttling, a server error) or not (access denied, no such bucket, a root that cannot be written).
 */
public class StorageException extends GenevaException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** Creates a non-retryable storage exception. */
  public StorageException(String message) {
    this(message, null, false);
  }

  /** Creates a non-retryable storage exception with its cause. */
  public StorageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** Creates a storage exception, stating whether a retry may succeed. */
  public StorageException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether the same operation may succeed if tried again. */
  public boolean retryable() {
    return retryable;
  }
}
