package io.geneva;

/** A classpath entry could not be scanned, hashed or packed: an unreadable file, a symlink loop, a file that kept changing while it was read. */
public class PackagingException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public PackagingException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public PackagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
