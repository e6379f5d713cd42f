package io.geneva.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Private working directories that a session owns while it lives, and that the next session reclaims
 * as soon as their owner is gone, however it ended (a {@code kill -9} included).
 *
 * <p>Each directory holds a lock file on which its owner holds an exclusive lock (an OS file lock,
 * released by the kernel when the process dies). {@link #reclaim} deletes every directory whose lock
 * it can take. A directory is created under a hidden name and renamed to its final name only once its
 * lock is held, so a concurrent reclaim never sees a live directory without its lock; entries that
 * are not such directories (from older versions, or a session killed between the two steps) are
 * deleted only once they are older than {@link #ORPHAN_AGE}.
 *
 * <p>Directories are owner-only ({@code rwx------}). Thread-safe.
 */
public final class StagingDirectories {
  /** Age after which an entry that has no lock (so no way to tell its owner is alive) is deleted. */
  public static final Duration ORPHAN_AGE = Duration.ofDays(1);

  static final String PREFIX = "session-";
  private static final String CREATING = ".creating-";
  static final String LOCK = ".lock";

  /**
   * The directories this process owns. A reclaim never opens their lock files: closing any descriptor
   * of a file releases every POSIX lock the process holds on it, so opening one to test it would
   * release the owner's lock.
   */
  private static final java.util.Set<Path> OWNED_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private StagingDirectories() {}

  /**
   * A directory this process owns. Closing it deletes the directory and everything left in it, and
   * releases the lock; closing twice does nothing.
   */
  public static final class Owned implements AutoCloseable {
    private final Path directory;
    private final FileChannel lockChannel;

    private Owned(Path directory, FileChannel lockChannel) {
      this.directory = directory;
      this.lockChannel = lockChannel;
    }

    /** The directory. */
    public Path directory() {
      return directory;
    }

    /** Whether the directory still exists (a caller may have deleted it). */
    public boolean exists() {
      return Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
    }

    /** Releases the lock without deleting anything: for a directory its user already deleted. */
    public void release() {
      OWNED_HERE.remove(directory);
      try {
        lockChannel.close();
      } catch (IOException ignored) {
        // Closing a lock file cannot lose data; the kernel releases the lock with the process anyway.
      }
    }

    @Override
    public void close() {
      deleteTree(directory);
      release();
    }
  }

  /** Creates a new owner-only directory under {@code parent} (created if missing) and locks it. */
  public static Owned create(Path parent) throws IOException {
    parent = parent.toAbsolutePath().normalize();
    PrivateFiles.createDirectories(parent);
    String id = UUID.randomUUID().toString();
    Path creating = parent.resolve(CREATING + id);
    Files.createDirectory(creating, PrivateFiles.attributes(parent, PrivateFiles.DIRECTORY));
    FileChannel channel = null;
    try {
      PrivateFiles.restrict(creating, PrivateFiles.DIRECTORY);
      channel =
          FileChannel.open(
              creating.resolve(LOCK),
              java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PrivateFiles.attributes(parent, PrivateFiles.FILE));
      channel.lock();
      Path directory = parent.resolve(PREFIX + id);
      OWNED_HERE.add(directory);
      Files.move(creating, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Owned(directory, channel);
    } catch (IOException | RuntimeException e) {
      OWNED_HERE.remove(parent.resolve(PREFIX + id));
      if (channel != null) {
        channel.close();
      }
      deleteTree(creating);
      throw e;
    }
  }

  /**
   * Deletes what dead owners left under {@code parent}: every session directory whose lock is free,
   * and any other entry older than {@link #ORPHAN_AGE} by {@code clock} (the system clock, which
   * stamps file times). Entries of live sessions, in this process or another, are kept. Failures
   * are ignored: another session may be reclaiming the same entries.
   *
   * @return the number of entries deleted
   */
  public static int reclaim(Path parent, Clock clock) {
    parent = parent.toAbsolutePath().normalize();
    Instant cutoff = clock.instant().minus(ORPHAN_AGE);
    int reclaimed = 0;
    try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (name.startsWith(PREFIX) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          if (ownerIsGone(child, cutoff)) {
            deleteTree(child);
            reclaimed++;
          }
        } else if (olderThan(child, cutoff)) {
          deleteTree(child);
          reclaimed++;
        }
      }
    } catch (IOException ignored) {
      // Nothing to reclaim (the directory is missing), or it cannot be listed: the session that
      // needs it reports that when it writes there.
    }
    return reclaimed;
  }

  private static boolean ownerIsGone(Path directory, Instant cutoff) {
    if (OWNED_HERE.contains(directory)) {
      return false;
    }
    Path lock = directory.resolve(LOCK);
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock taken = channel.tryLock();
      if (taken == null) {
        return false; // another process holds it: alive
      }
      // Held now by this process, so no other can start using the directory; deleted under the lock.
      return true;
    } catch (OverlappingFileLockException heldHere) {
      return false; // a session of this process owns it
    } catch (NoSuchFileException noLock) {
      // Being deleted by its owner or another reclaim, or a lock file lost: judge by age.
      return olderThan(directory, cutoff);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean olderThan(Path p, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes a file or a directory tree without following symbolic links; ignores what is gone. */
  public static void deleteTree(Path p) {
    try {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
          for (Path c : children) {
            deleteTree(c);
          }
        }
      }
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Left for the next reclaim.
    }
  }
}
