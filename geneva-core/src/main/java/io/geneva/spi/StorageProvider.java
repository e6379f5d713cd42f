package io.geneva.spi;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link Storage}s for the URI schemes it serves. Found with {@link java.util.ServiceLoader}:
 * list the implementation in {@code META-INF/services/io.geneva.spi.StorageProvider}.
 *
 * <p>Selection: a storage instance passed to the session builder wins; otherwise the provider that
 * serves the root URI's scheme. If two providers serve a scheme, the one with the higher {@link
 * #priority()} wins; two at equal priority is an error naming both.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface StorageProvider {

  /** The URI schemes served, lower case, for example {@code file} or {@code s3}. */
  Set<String> schemes();

  /** Higher wins when two providers serve one scheme. Geneva's own providers use 0. */
  default int priority() {
    return 0;
  }

  /**
   * Creates a storage for a root URI with one of {@link #schemes()}.
   *
   * @throws io.geneva.ConfigurationException if the URI is malformed for this scheme
   * @throws io.geneva.StorageException if the root cannot be reached or written
   */
  Storage create(URI root);

  /**
   * Environment variables a worker process started on this machine needs to reach the same storage
   * as this JVM, beyond the environment it inherits: for example configuration this JVM got from
   * system properties. Local workers get them in their environment (never on a command line, which
   * other users can read); they are not written into manifests or cluster records. Default: none.
   */
  default Map<String, String> workerEnvironment() {
    return Map.of();
  }
}
