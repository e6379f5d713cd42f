package io.geneva.internal.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One stat of a file, following symbolic links, with what tells that its content may have changed:
 * size, modification time, <em>change time</em> and identity (device and inode).
 *
 * <p>The change time (ctime) is set by the kernel on every write, rename or permission change and no
 * user tool can set it back, unlike the modification time, which {@code touch -r}, {@code cp -p},
 * {@code rsync -t} and build tools restore. On file systems without it (non-POSIX), it is 0 and the
 * fast key falls back to size, modification time and identity.
 *
 * @param kind what the path is
 * @param size size in bytes
 * @param mtimeNanos last-modified time in nanoseconds since the epoch
 * @param ctimeNanos status-change time in nanoseconds since the epoch, or 0 where unknown
 * @param identity a digest of the device and inode (or of the file system's file key), or 0
 * @param fileKey the file system's file key, to compare directories for symbolic-link loops
 */
public record FileStat(
    Kind kind, long size, long mtimeNanos, long ctimeNanos, long identity, @Nullable Object fileKey) {

  /** What a path is. */
  public enum Kind {
    /** A regular file. */
    REGULAR_FILE,
    /** A directory. */
    DIRECTORY,
    /** Anything else: a FIFO, a socket, a character or block device. */
    OTHER
  }

  private static final String UNIX_ATTRIBUTES =
      "unix:size,lastModifiedTime,ctime,ino,dev,isRegularFile,isDirectory,fileKey";
  private static final boolean DEFAULT_HAS_UNIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  /** Stats a path (one system call), following symbolic links. */
  public static FileStat of(Path path) throws IOException {
    boolean unix =
        path.getFileSystem() == FileSystems.getDefault()
            ? DEFAULT_HAS_UNIX
            : path.getFileSystem().supportedFileAttributeViews().contains("unix");
    if (unix) {
      Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES);
      long ino = (Long) a.get("ino");
      long dev = (Long) a.get("dev");
      return new FileStat(
          kind((Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory")),
          (Long) a.get("size"),
          nanos((FileTime) a.get("lastModifiedTime")),
          nanos((FileTime) a.get("ctime")),
          ino ^ Long.rotateLeft(dev, 32),
          a.get("fileKey"));
    }
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    Object key = a.fileKey();
    return new FileStat(
        kind(a.isRegularFile(), a.isDirectory()),
        a.size(),
        nanos(a.lastModifiedTime()),
        0,
        key == null ? 0 : key.hashCode(),
        key);
  }

  /** Whether it is a regular file. */
  public boolean regularFile() {
    return kind == Kind.REGULAR_FILE;
  }

  /** Whether it is a directory. */
  public boolean directory() {
    return kind == Kind.DIRECTORY;
  }

  private static Kind kind(boolean regularFile, boolean directory) {
    return regularFile ? Kind.REGULAR_FILE : directory ? Kind.DIRECTORY : Kind.OTHER;
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }
}
