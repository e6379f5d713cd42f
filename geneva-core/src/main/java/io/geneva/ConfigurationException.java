package io.geneva;

/** The session's configuration is wrong: an unknown storage scheme, a missing classpath entry, an invalid exclude pattern, an unusable Geneva home. */
public class ConfigurationException extends GenevaException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the problem and the fix. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
