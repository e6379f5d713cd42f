package io.geneva.internal.worker;

import io.geneva.internal.concurrent.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The node cache's layout on disk and the file operations its parts share: paths derived from a
 * package's digest, the two-level locks (in-JVM, then file), owner-only directories and read-only
 * packages. Thread-safe.
 */
final class CacheFiles {
  static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  static final String MARKER_SUFFIX = ".ok";

  static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--------");

  /**
   * In-JVM locks by lock file, shared by every cache in this JVM: a second {@link FileChannel#lock()}
   * on a file this JVM already locks throws {@link OverlappingFileLockException} instead of waiting,
   * so threads queue here before they take the file lock.
   */
  static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  final Path directory;
  final Path packages;
  final Path locks;
  final Path tmp;
  final Path leases;
  final Path evictLock;
  final boolean posix;
  private final Sleeper sleeper;

  CacheFiles(Path directory, boolean posix, Sleeper sleeper) {
    this.directory = directory;
    this.packages = directory.resolve("packages");
    this.locks = directory.resolve("locks");
    this.tmp = directory.resolve("tmp");
    this.leases = directory.resolve("leases");
    this.evictLock = directory.resolve("evict.lock");
    this.posix = posix;
    this.sleeper = sleeper;
  }

  static String requireDigest(String digest, String owner) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          owner + " names sha256 \"" + digest + "\", which is not 64 lower-case hex digits;"
              + " the manifest is corrupt or was not written by Geneva");
    }
    return digest;
  }

  Path packageFile(String digest, String extension) {
    return packages.resolve(digest.substring(0, 2)).resolve(digest + "." + extension);
  }

  static Path markerOf(Path file) {
    return file.resolveSibling(file.getFileName() + MARKER_SUFFIX);
  }

  Path lockFileOf(String digest) {
    return locks.resolve(digest + ".lock");
  }

  /** An action on the cache's files that may fail with an {@link IOException}. */
  @FunctionalInterface
  interface IoAction<T> {
    T run() throws IOException;
  }

  /** Runs an action holding a lock file: first this JVM's lock on it, then the file lock. */
  <T> T withLock(Path lockFile, IoAction<T> action) throws IOException {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel = openLockFile(lockFile)) {
      lockWaitingOutFalseDeadlocks(channel); // released when the channel closes
      return action.run();
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Takes the file lock. Linux's POSIX locks belong to a process, not a thread, so when two workers
   * each fetch several packages at once (one thread of A holds package X's lock while another waits
   * for Y, and B the other way round), the kernel sees a cycle between the processes and refuses the
   * wait with EDEADLK ("Resource deadlock avoided"), although no thread waits for itself. That is
   * transient: the holder finishes its download and lets go, so the wait is retried after a short
   * jittered pause.
   */
  private void lockWaitingOutFalseDeadlocks(FileChannel channel) throws IOException {
    long pauseMillis = 2;
    while (true) {
      try {
        channel.lock();
        return;
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("deadlock")) {
          throw e;
        }
      }
      try {
        sleeper.sleep(Duration.ofMillis(pauseMillis + ThreadLocalRandom.current().nextLong(pauseMillis + 1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a node cache lock");
      }
      pauseMillis = Math.min(pauseMillis * 2, 100);
    }
  }

  FileChannel openLockFile(Path lockFile) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return FileChannel.open(lockFile, options, fileAttributes(PRIVATE_FILE));
  }

  /** Creates a directory owner-only, and makes an existing one so if others could write to it. */
  void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir, directoryAttributes(posix));
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotDirectoryException(
          dir + " (a symbolic link or a file, where the cache needs a directory)");
    }
    if (posix) {
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (permissions.contains(PosixFilePermission.OTHERS_WRITE)
          || permissions.contains(PosixFilePermission.GROUP_WRITE)) {
        Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
      }
    }
  }

  static FileAttribute<?>[] directoryAttributes(boolean posix) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY)}
        : new FileAttribute<?>[0];
  }

  FileAttribute<?>[] fileAttributes(Set<PosixFilePermission> permissions) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  void makeReadOnly(Path file) throws IOException {
    if (posix) {
      Files.setPosixFilePermissions(file, READ_ONLY_FILE);
    } else {
      DosFileAttributeView dos = Files.getFileAttributeView(file, DosFileAttributeView.class);
      if (dos != null) {
        dos.setReadOnly(true);
      }
    }
  }

  /** Deletes a package, its marker first: a package without a marker is verified before use. */
  void deletePackage(Path file, Path marker) throws IOException {
    deleteFile(marker);
    deleteFile(file);
  }

  void deleteFile(Path file) throws IOException {
    if (!posix) {
      // A read-only file cannot be deleted where permissions are DOS attributes.
      DosFileAttributeView dos =
          Files.getFileAttributeView(file, DosFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (dos != null && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        dos.setReadOnly(false);
      }
    }
    Files.deleteIfExists(file);
  }

  /** Cleans up after a failure, keeping the failure as the exception to report. */
  void deleteAfterFailure(Path file, Throwable failure) {
    try {
      deleteFile(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
