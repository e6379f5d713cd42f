package io.geneva;

import java.net.URI;
import java.util.Objects;

/**
 * Where a Geneva session starts.
 *
 * <pre>{@code
 * try (GenevaSession session = Geneva.connect("s3://bucket/geneva").open()) {
 *   System.out.println(session.startupReport().summary());
 * }
 * }</pre>
 *
 * <p>{@link #connect()} with no argument is the embedded default: storage in a directory under the
 * Geneva home ({@code GENEVA_HOME}, or {@code ~/.geneva}).
 */
public final class Geneva {
  private Geneva() {}

  /** A session builder on the embedded default: file storage under the Geneva home. */
  public static GenevaSession.Builder connect() {
    return new GenevaSession.Builder(null);
  }

  /**
   * A session builder on a storage root such as {@code s3://bucket/prefix}, {@code file:///srv/geneva}
   * or a plain local path.
   *
   * @throws ConfigurationException if the text is not a URI or path
   */
  public static GenevaSession.Builder connect(String storageRoot) {
    Objects.requireNonNull(storageRoot, "storageRoot");
    return new GenevaSession.Builder(StorageRoots.parse(storageRoot));
  }

  /**
   * Reads a storage root the way {@link #connect(String)} does: a URI with a scheme of two or more
   * letters (the scheme lower-cased; credentials in the URI refused), otherwise a local path made
   * absolute. Tools that must name the same root as a session use this.
   *
   * @throws ConfigurationException if the text is not a URI or path, or carries credentials
   */
  public static URI storageRoot(String text) {
    Objects.requireNonNull(text, "text");
    return StorageRoots.parse(text);
  }

  /** A session builder on a storage root URI. */
  public static GenevaSession.Builder connect(URI storageRoot) {
    Objects.requireNonNull(storageRoot, "storageRoot");
    return new GenevaSession.Builder(StorageRoots.normalize(storageRoot));
  }
}
