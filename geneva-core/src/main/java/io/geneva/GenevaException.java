package io.geneva;

/**
 * The root of every exception Geneva throws for an expected failure: bad configuration, a classpath
 * that cannot be packaged, storage that cannot be reached, content that fails its digest check.
 *
 * <p>Unchecked, like the AWS SDK's {@code SdkException}: callers catch it where they can act on it.
 * Each message names the input, says what is wrong, and how to fix it. Programmer errors (a null
 * argument, an option set twice) stay {@link NullPointerException}, {@link IllegalArgumentException}
 * and {@link IllegalStateException}.
 */
public class GenevaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public GenevaException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public GenevaException(String message, Throwable cause) {
    super(message, cause);
  }
}
