package io.geneva.internal.io;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
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
 * <p>The change time is public only through the {@code unix:} attribute view, which parses the
 * attribute list, fills a map and boxes every value on each call: about twice the CPU of the stat
 * itself, which at 100,000 files is most of a start's scan. Where {@code java.base} opens
 * {@code sun.nio.fs} to Geneva ({@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED}, which the
 * {@code geneva} command's jar declares), the same stat's fields are read directly instead
 * ({@link FastStat}); elsewhere, or if that gives other values than the view for the first path
 * stat'ed, the view is used.
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
    boolean defaultFileSystem = path.getFileSystem() == FileSystems.getDefault();
    boolean unix = defaultFileSystem ? DEFAULT_HAS_UNIX : path.getFileSystem().supportedFileAttributeViews().contains("unix");
    if (unix && defaultFileSystem && FastStat.usable(path)) {
      return FastStat.of(path);
    }
    if (unix) {
      return ofUnixView(path);
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

  /** Through the public {@code unix:} view: what {@link FastStat} must agree with. */
  static FileStat ofUnixView(Path path) throws IOException {
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

  /** Whether {@link #of} reads the stat's fields directly in this JVM (for tests and reports). */
  static boolean fastPathAvailable() {
    return FastStat.HANDLES != null;
  }

  /**
   * Reads the change time, inode and device from the JDK's own stat result ({@code
   * sun.nio.fs.UnixFileAttributes}, returned by the POSIX view), when the JVM allows it. The
   * first use compares it with the {@code unix:} view on the same path and disables itself on any
   * difference, so a JDK whose internals differ costs speed, never correctness.
   */
  private static final class FastStat {
    private static final @Nullable Class<?> ATTRIBUTES_CLASS = unixAttributesClass();
    private static final @Nullable MethodHandle[] HANDLES = handles();
    private static volatile int verified; // 0 unknown, 1 agrees with the view, -1 disabled

    private static @Nullable Class<?> unixAttributesClass() {
      try {
        return Class.forName("sun.nio.fs.UnixFileAttributes");
      } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
        return null;
      }
    }

    private static @Nullable MethodHandle[] handles() {
      try {
        Class<?> c = ATTRIBUTES_CLASS;
        if (c == null) {
          return null;
        }
        if (!FileStat.class.getModule().canRead(c.getModule())
            || !c.getModule().isOpen(c.getPackageName(), FileStat.class.getModule())) {
          return null;
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        MethodHandle[] h = new MethodHandle[4];
        String[] fields = {"st_ctime_sec", "st_ctime_nsec", "st_ino", "st_dev"};
        for (int i = 0; i < fields.length; i++) {
          h[i] = lookup.findGetter(c, fields[i], long.class).asType(
              java.lang.invoke.MethodType.methodType(long.class, Object.class));
        }
        return h;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    static boolean usable(Path path) throws IOException {
      if (HANDLES == null || verified < 0) {
        return false;
      }
      if (verified == 0) {
        FileStat fast = read(path);
        FileStat view = ofUnixView(path);
        boolean same = fast != null && fast.sameAs(view);
        verified = same ? 1 : -1;
        return same;
      }
      return true;
    }

    static FileStat of(Path path) throws IOException {
      FileStat s = read(path);
      return s != null ? s : ofUnixView(path);
    }

    private static @Nullable FileStat read(Path path) throws IOException {
      PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
      if (a.getClass() != ATTRIBUTES_CLASS) {
        return null;
      }
      try {
        long ctime = (long) HANDLES[0].invokeExact((Object) a) * 1_000_000_000L + (long) HANDLES[1].invokeExact((Object) a);
        long ino = (long) HANDLES[2].invokeExact((Object) a);
        long dev = (long) HANDLES[3].invokeExact((Object) a);
        return new FileStat(
            kind(a.isRegularFile(), a.isDirectory()),
            a.size(),
            nanos(a.lastModifiedTime()),
            ctime,
            ino ^ Long.rotateLeft(dev, 32),
            a.fileKey());
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("reading a stat result", e);
      }
    }
  }

  /** Equal in every field that matters, the file key by equality. */
  private boolean sameAs(FileStat other) {
    return kind == other.kind
        && size == other.size
        && mtimeNanos == other.mtimeNanos
        && ctimeNanos == other.ctimeNanos
        && identity == other.identity
        && java.util.Objects.equals(fileKey, other.fileKey);
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
