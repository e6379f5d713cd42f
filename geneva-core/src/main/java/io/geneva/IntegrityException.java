package io.geneva;

/** Content did not match its SHA-256 digest: a corrupt or truncated object in storage or in a cache, or a source that changed while it was copied. Nothing that fails this check is ever used or made visible. */
public class IntegrityException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public IntegrityException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
