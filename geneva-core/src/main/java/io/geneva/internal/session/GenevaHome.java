package io.geneva.internal.session;

import io.geneva.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * The Geneva home's scratch space: {@code <home>/tmp}, where a session builds archives when its
 * storage has no staging directory of its own, and what crashed sessions left there.
 */
final class GenevaHome {
  private static final Duration STALE_TMP = Duration.ofDays(1);

  private GenevaHome() {}

  /** Checks that the home can be written and deletes what crashed sessions left long ago. */
  static Path prepare(Path home, Clock clock) {
    try {
      Path tmp = Files.createDirectories(home.resolve("tmp"));
      Path probe = Files.createTempFile(tmp, "probe", ".tmp");
      Files.delete(probe);
      deleteStale(tmp, clock.instant().minus(STALE_TMP));
      return home;
    } catch (IOException e) {
      throw new ConfigurationException(
          "Geneva home " + home + " cannot be written (" + e
              + "); set GENEVA_HOME or --home to a writable directory",
          e);
    }
  }

  /** A new scratch directory of this session's own. */
  static Path newTmpDirectory(Path home) throws IOException {
    return Files.createDirectories(home.resolve("tmp").resolve(UUID.randomUUID().toString()));
  }

  private static void deleteStale(Path tmp, Instant cutoff) throws IOException {
    try (var children = Files.list(tmp)) {
      for (Path p : (Iterable<Path>) children::iterator) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            deleteRecursively(p);
          }
        } catch (IOException ignored) {
          // Another session may be cleaning up too.
        }
      }
    }
  }

  /** Deletes a directory tree, leaving what cannot be deleted for a later session. */
  static void deleteRecursively(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Left for the next session's clean-up, or the storage's staging clean-up.
        }
      });
    } catch (IOException ignored) {
      // The directory may not exist if the session failed before creating it.
    }
  }
}
