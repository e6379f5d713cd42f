package io.geneva.internal.worker;

import io.geneva.ConfigurationException;
import io.geneva.GenevaException;
import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.AtomicFiles;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local, content-addressed package cache shared by every Geneva worker JVM on one machine.
 * A worker bootstrapping from a {@link Manifest} calls {@link #ensure} for each package of its class
 * path; on a cold cache several workers may do so at once, and each package is still downloaded
 * exactly once per node.
 *
 * <p>Layout under {@link #directory()}:
 *
 * <ul>
 *   <li>{@code packages/<aa>/<digest>.<ext>}: a verified, read-only package, and next to it {@code
 *       <digest>.<ext>.ok}, a marker recording the package file's size, modification time, change
 *       time and file key when it was verified; the marker's own modification time is when the
 *       package was last used. A package whose attributes differ from its marker is hashed again
 *       before use, and fetched again if its content is not the digest's.
 *   <li>{@code locks/<digest>.lock}: one lock file per package, locked while it is downloaded or
 *       verified.
 *   <li>{@code tmp/}: downloads in progress.
 *   <li>{@code leases/}: one file per open {@link Lease}, locked by its owner and listing the digests
 *       it protects from {@link #evict()}.
 *   <li>{@code evict.lock}: serializes eviction with the creation of leases.
 * </ul>
 *
 * <p>Every path is derived from a package's digest (checked to be 64 lower-case hex digits) and the
 * extension of its key (checked to be 1 to 10 of {@code [a-z0-9]}), never from anything else in the
 * key. Directories are created owner-only where the file system supports POSIX permissions.
 *
 * <p>Thread-safe, and safe to share between processes: any number of threads and of worker JVMs on
 * the node may use caches opened on the same directory at once. Coordination uses an in-JVM lock
 * followed by a file lock, so it needs a file system with working {@link java.nio.channels.FileLock}s (a local one).
 * A worker takes a {@link #lease} on the packages of its manifests before it ensures them, so that an
 * eviction cannot remove a package between {@link #ensure} and its use.
 */
public final class NodeCache {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCache.class);

  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
  private static final int BUFFER_SIZE = 64 * 1024;

  private final CacheFiles files;
  private final CacheLeases leases;
  private final CacheEviction eviction;
  private final Path directory;
  private final long maxBytes;
  private final Clock clock;

  private NodeCache(Path directory, long maxBytes, Clock clock, boolean posix, Sleeper sleeper) {
    this.files = new CacheFiles(directory, posix, sleeper);
    this.leases = new CacheLeases(files);
    this.eviction = new CacheEviction(files, leases, maxBytes, clock);
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /**
   * Opens (creating if needed) a cache in directory, bounded to maxBytes of packages.
   *
   * <p>The bound is applied by {@link #evict()}, not by {@link #ensure}: a worker always gets the
   * packages it needs, and evicts afterwards.
   *
   * @param directory the cache directory, shared by the workers on this node; created owner-only if
   *     absent
   * @param maxBytes how many bytes of packages {@link #evict()} keeps at most
   * @param clock the source of "last used" times and of the age of leftover temporary files
   * @throws ConfigurationException naming the directory if it cannot be created or used
   */
  public static NodeCache open(Path directory, long maxBytes, Clock clock) {
    return open(directory, maxBytes, clock, Sleeper.SYSTEM);
  }

  /**
   * Opens a cache as {@link #open(Path, long, Clock)} does, pausing with sleeper where it backs off
   * (a file lock that the kernel refused as a false deadlock).
   */
  public static NodeCache open(Path directory, long maxBytes, Clock clock, Sleeper sleeper) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes < 0: " + maxBytes);
    }
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      Files.createDirectories(directory, CacheFiles.directoryAttributes(posix));
      Path root = directory.toRealPath();
      NodeCache cache = new NodeCache(root, maxBytes, clock, posix, sleeper);
      CacheFiles f = cache.files;
      for (Path dir : List.of(f.packages, f.locks, f.tmp, f.leases)) {
        f.createPrivateDirectory(dir);
      }
      return cache;
    } catch (IOException e) {
      throw new ConfigurationException(
          "node cache directory " + directory + " cannot be used: " + e
              + "; choose a writable directory owned by the worker's user, or fix its permissions",
          e);
    }
  }

  /** The cache's directory, with symbolic links resolved. */
  public Path directory() {
    return directory;
  }

  /**
   * One package made present: the file to put on a class path, whether this call downloaded it, and
   * the bytes it downloaded.
   *
   * @param file the verified, read-only package file in the cache
   * @param fetched whether this call downloaded the package from storage
   * @param bytesFetched the bytes this call downloaded, 0 unless {@code fetched}
   */
  public record Entry(Path file, boolean fetched, long bytesFetched) {
    /** Checks the components. */
    public Entry {
      Objects.requireNonNull(file, "file");
      if (bytesFetched < 0) {
        throw new IllegalArgumentException("bytesFetched < 0: " + bytesFetched);
      }
    }
  }

  /**
   * Makes the package present and verified, downloading it from storage if it is missing, partial or
   * corrupt. A package whose marker matches its file is a hit that costs one stat and does not read
   * the content; one without a matching marker is verified by hashing it first. Of concurrent calls
   * for one package, in this JVM or another, exactly one downloads it; the others wait and then find
   * it present.
   *
   * @param pkg the package, from a manifest
   * @param storage the storage root its key is relative to; not closed
   * @return the package file, never a corrupt one
   * @throws IllegalArgumentException if the package's digest is not 64 lower-case hex digits, or its
   *     key is not a valid object key with an extension of 1 to 10 of {@code [a-z0-9]}
   * @throws IntegrityException if the object in storage does not have the package's digest and size;
   *     nothing is kept
   * @throws io.geneva.StorageException as thrown by the storage, or if reading its object fails
   * @throws GenevaException if the cache directory cannot be written
   */
  public Entry ensure(Manifest.Package pkg, Storage storage) {
    Objects.requireNonNull(pkg, "pkg");
    Objects.requireNonNull(storage, "storage");
    String digest = CacheFiles.requireDigest(pkg.sha256(), "package " + pkg.key());
    ObjectKey key = ObjectKey.of(pkg.key());
    Path file = files.packageFile(digest, extensionOf(key));
    Path marker = CacheFiles.markerOf(file);
    try {
      if (isVerified(file, marker) && touch(marker)) {
        LOG.debug("package {} found in the node cache", key);
        return new Entry(file, false, 0);
      }
      return files.withLock(files.lockFileOf(digest), () -> ensureLocked(pkg, key, storage, file, marker));
    } catch (IOException e) {
      throw new GenevaException(
          "node cache " + directory + " cannot hold package " + key + ": " + e
              + "; check that the directory is writable and its file system has space",
          e);
    }
  }

  /**
   * Protects these package digests from eviction while the returned lease is open (a worker holds
   * one for the packages of the manifests it uses). A lease is honored by every process on the node
   * until it is closed or its process dies.
   *
   * @param sha256Digests lower-case hex SHA-256 digests of packages
   * @return the open lease; the caller closes it
   * @throws IllegalArgumentException if a digest is not 64 lower-case hex digits
   * @throws GenevaException if the lease file cannot be written
   */
  public Lease lease(Collection<String> sha256Digests) {
    List<String> digests = new ArrayList<>();
    for (String digest : sha256Digests) {
      digests.add(CacheFiles.requireDigest(Objects.requireNonNull(digest, "digest"), "lease"));
    }
    try {
      // Under evict.lock, so an evictor never reads a lease that is not yet complete.
      return files.withLock(files.evictLock, () -> leases.create(digests));
    } catch (IOException e) {
      throw new GenevaException(
          "node cache " + directory + " cannot record a lease in " + files.leases + ": " + e
              + "; check that the directory is writable",
          e);
    }
  }

  /**
   * An open lease on packages of the cache. {@link #close()} is idempotent and thread-safe; it
   * releases the lease so that {@link NodeCache#evict()} may remove its packages again.
   */
  public interface Lease extends AutoCloseable {
    /**
     * Releases the lease and deletes its file. Idempotent.
     *
     * @throws GenevaException if the lease file cannot be released or deleted
     */
    @Override
    void close();
  }

  /**
   * Removes least-recently-used packages until the cache holds at most maxBytes, never one under a
   * live lease. Returns the number of packages removed.
   *
   * <p>Also deletes the files of leases whose owner died, temporary files older than a day, and skips
   * a package that another thread or process is downloading or verifying at that moment. Evictions
   * on one node run one at a time.
   *
   * @return the number of packages removed
   * @throws GenevaException if the cache directory cannot be read or written
   */
  public int evict() {
    try {
      return files.withLock(files.evictLock, eviction::evictLocked);
    } catch (IOException e) {
      throw new GenevaException(
          "cannot evict packages from node cache " + directory + ": " + e
              + "; check that the directory is readable and writable",
          e);
    }
  }

  @Override
  public String toString() {
    return "NodeCache[" + directory + ", maxBytes=" + maxBytes + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // ensure

  /** The part of {@link #ensure} that runs holding the package's lock. */
  private Entry ensureLocked(
      Manifest.Package pkg, ObjectKey key, Storage storage, Path file, Path marker) throws IOException {
    // Another worker may have brought the package while this one waited for the lock.
    if (isVerified(file, marker) && touch(marker)) {
      LOG.debug("package {} found in the node cache", key);
      return new Entry(file, false, 0);
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      // Read-only first (a chmod moves the change time), then described before and after hashing,
      // so the marker records exactly the state whose content was hashed.
      files.makeReadOnly(file);
      Optional<String> before = describe(file);
      if (before.isPresent() && contentMatches(file, pkg) && before.equals(describe(file))) {
        writeMarker(marker, before.get());
        touch(marker);
        LOG.debug("package {} verified by hashing in the node cache", key);
        return new Entry(file, false, 0);
      }
      LOG.debug("package {} in the node cache is corrupt; downloading it again", key);
      files.deletePackage(file, marker);
    }
    long bytes = download(pkg, key, storage, file);
    writeMarker(marker, describe(file).orElseThrow(
        () -> new IOException(file + " is not a regular file after it was downloaded")));
    touch(marker);
    LOG.debug("package {} downloaded into the node cache ({} bytes)", key, bytes);
    return new Entry(file, true, bytes);
  }

  /**
   * Whether the file is there and unchanged since it arrived verified: one stat, no content read.
   * Any write to the file moves its change time, which no user tool can set back (unlike the
   * modification time, which {@code touch -r}, {@code cp -p} and {@code rsync} restore), so an edit in
   * place that keeps size and modification time still fails this check and the file is re-hashed.
   */
  private boolean isVerified(Path file, Path marker) throws IOException {
    String recorded;
    String now;
    try {
      recorded = Files.readString(marker, StandardCharsets.UTF_8);
      Optional<String> described = describe(file);
      if (described.isEmpty()) {
        return false;
      }
      now = described.get();
    } catch (NoSuchFileException | CharacterCodingException e) {
      return false; // missing, or a marker this cache did not write: verify by hashing
    }
    return recorded.equals(now);
  }

  /** Whether a file's content has the package's digest and size. */
  private static boolean contentMatches(Path file, Manifest.Package pkg) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile() || attributes.size() != pkg.size()) {
      return false;
    }
    Sha256.Hashed hashed = Sha256.hashFile(file);
    return hashed.size() == pkg.size() && hashed.sha256().equals(pkg.sha256());
  }

  /** Downloads and verifies a package into place; returns the bytes downloaded. */
  private long download(Manifest.Package pkg, ObjectKey key, Storage storage, Path file)
      throws IOException {
    Path part = Files.createTempFile(files.tmp, pkg.sha256() + "-", ".part", files.fileAttributes(CacheFiles.PRIVATE_FILE));
    try {
      Copied copied = copy(storage, key, part, pkg.size());
      if (copied.tooLong() || copied.size() != pkg.size() || !copied.sha256().equals(pkg.sha256())) {
        throw integrityFailure(pkg, storage, copied);
      }
      files.makeReadOnly(part);
      files.createPrivateDirectory(file.getParent());
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
      return copied.size();
    } catch (Throwable e) {
      files.deleteAfterFailure(part, e);
      throw e;
    }
  }

  /**
   * What a download read: its digest and size, or that it read past the expected size and stopped.
   */
  private record Copied(String sha256, long size, boolean tooLong) {}

  /** Streams an object into a file, hashing it on the way; stops early once it is too long. */
  private static Copied copy(Storage storage, ObjectKey key, Path target, long expectedSize)
      throws IOException {
    MessageDigest md = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    long size = 0;
    try (InputStream in = storage.open(key);
        OutputStream out = Files.newOutputStream(target)) {
      for (int n; (n = read(in, buffer, key, storage)) != -1; ) {
        md.update(buffer, 0, n);
        out.write(buffer, 0, n);
        size += n;
        if (size > expectedSize) {
          // No need to fill the node's disk to learn that it does not match.
          return new Copied(Sha256.hex(md.digest()), size, true);
        }
      }
    }
    return new Copied(Sha256.hex(md.digest()), size, false);
  }

  /** Reads from storage, so that a failure names the object and the storage, not the cache. */
  private static int read(InputStream in, byte[] buffer, ObjectKey key, Storage storage) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw new StorageException(
          "cannot read " + key + " from storage root " + storage.root() + ": " + e, e, true);
    }
  }

  private static IntegrityException integrityFailure(
      Manifest.Package pkg, Storage storage, Copied copied) {
    String actual =
        copied.tooLong()
            ? "more than " + pkg.size() + " bytes"
            : "sha256 " + copied.sha256() + " and " + copied.size() + " bytes";
    return new IntegrityException(
        "package " + pkg.key() + " from storage root " + storage.root()
            + " does not match its manifest: expected sha256 " + pkg.sha256() + " and " + pkg.size()
            + " bytes, read " + actual + ". It was not used. Re-publish it by opening a new session;"
            + " if this persists, the object in storage is corrupt: delete " + pkg.key() + " from "
            + storage.root() + " so that the next session uploads it again");
  }

  /**
   * Records the file as it is now, written whole by a rename so a reader never sees half a marker.
   */
  private void writeMarker(Path marker, String description) throws IOException {
    AtomicFiles.writeVia(files.tmp, marker, out -> out.write(description.getBytes(StandardCharsets.UTF_8)));
  }


  /**
   * What a marker records: what changes when a file is written to, truncated or replaced. The size,
   * the modification time, the file key (device and inode: a replaced file has another) and, where
   * the file system has one, the change time, which the kernel sets on every write, chmod and rename
   * and no user tool can set back. Empty if the file is not a regular file. Other files verified by
   * digest once and trusted while unchanged (a worker's runtime class data) record the same.
   */
  public static Optional<String> describe(Path file) throws IOException {
    boolean unix = file.getFileSystem().supportedFileAttributeViews().contains("unix");
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      return Optional.empty();
    }
    Object fileKey = attributes.fileKey();
    String ctime = "";
    if (unix) {
      FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
      ctime = Long.toString(changed.to(TimeUnit.NANOSECONDS));
    }
    return Optional.of("size=" + attributes.size() + "\n"
        + "mtime=" + attributes.lastModifiedTime().toMillis() + "\n"
        + "ctime=" + ctime + "\n"
        + "fileKey=" + (fileKey == null ? "" : fileKey) + "\n");
  }

  /** Records "last used" as the marker's modification time; false if the marker has gone. */
  private boolean touch(Path marker) throws IOException {
    try {
      Files.setLastModifiedTime(marker, FileTime.from(clock.instant()));
      return true;
    } catch (NoSuchFileException e) {
      return false; // evicted meanwhile: the caller takes the package's lock and looks again
    }
  }

  // ---------------------------------------------------------------------------------------------
  // paths

  private static String extensionOf(ObjectKey key) {
    String name = key.fileName();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    if (!EXTENSION.matcher(extension).matches()) {
      throw new IllegalArgumentException(
          "package " + key + " has no file extension of 1 to 10 of [a-z0-9] (such as .jar);"
              + " the manifest is corrupt or was not written by Geneva");
    }
    return extension;
  }
}
