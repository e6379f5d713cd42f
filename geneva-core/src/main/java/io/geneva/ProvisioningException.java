package io.geneva;

/** A cluster could not be created, reused or reached: a worker that cannot start, a spec that cannot work. */
public class ProvisioningException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public ProvisioningException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public ProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
