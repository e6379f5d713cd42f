package io.geneva.internal.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates files and directories that only their owner can read, whatever the umask: directories
 * {@code rwx------}, files {@code rw-------}. The permissions are set explicitly after creation (the
 * umask can only remove bits from what a creation asks for, and a umask of 0 adds none back, but an
 * explicit set states the result rather than deriving it). On a file system without POSIX permissions
 * nothing is set. Directories that already exist are left as they are: Geneva does not change the
 * permissions of a directory it did not create.
 */
public final class PrivateFiles {
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Whether the file system of {@code path} has POSIX permissions. */
  public static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates a directory and any missing parents, each created one owner-only; existing ones are
   * kept as they are.
   *
   * @return {@code dir}
   */
  public static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return dir;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(absolute, attributes(absolute, DIRECTORY));
      restrict(absolute, DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e; // a file where a directory is needed
      }
      // Created concurrently by another thread or session: fine.
    }
    return dir;
  }

  /** Creates a new empty owner-only file with a unique name in {@code dir} (see {@link Files#createTempFile}). */
  public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
    Path file = Files.createTempFile(dir, prefix, suffix, attributes(dir, FILE));
    restrict(file, FILE);
    return file;
  }

  /** Creates a new empty owner-only directory with a unique name in {@code dir}. */
  public static Path createTempDirectory(Path dir, String prefix) throws IOException {
    Path created = Files.createTempDirectory(dir, prefix, attributes(dir, DIRECTORY));
    restrict(created, DIRECTORY);
    return created;
  }

  /**
   * Opens a file for writing, creating it owner-only ({@code rw-------}) if it does not exist, or
   * truncating it.
   */
  public static java.io.OutputStream newOutputStream(Path file) throws IOException {
    return java.nio.channels.Channels.newOutputStream(
        java.nio.channels.FileChannel.open(
            file,
            Set.of(
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE),
            attributes(file.toAbsolutePath().getParent(), FILE)));
  }

  /** Sets these permissions on a file or directory if its file system has POSIX permissions. */
  public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (posix(path)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  /** The creation attributes for these permissions on the file system of {@code path} (none if not POSIX). */
  public static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
    return posix(path)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

}
