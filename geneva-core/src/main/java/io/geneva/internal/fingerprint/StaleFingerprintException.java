package io.geneva.internal.fingerprint;

import io.geneva.PackagingException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Bytes read for publishing did not have the digest the fingerprint index gave their source: either
 * the source changed after it was fingerprinted, or the index entry disagrees with a file that has
 * not changed (an index written by an older version, or a file system whose change time missed a
 * write). Either way the index entry is wrong; the session forgets it ({@link
 * FingerprintIndex#forget}) and fingerprints again, so a stale entry never fails every later run.
 */
public final class StaleFingerprintException extends PackagingException {
  private static final long serialVersionUID = 1L;
  private final transient Path source;

  /**
   * @param source the classpath file or directory entry whose index entry is wrong, if known
   * @param message names the source, what is wrong and the fix
   * @param cause the integrity failure
   */
  public StaleFingerprintException(Optional<Path> source, String message, Throwable cause) {
    super(message, cause);
    this.source = source.orElse(null);
  }

  /** The classpath file (a jar) or directory entry whose index entry is wrong, if known. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }
}
