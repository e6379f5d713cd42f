package io.geneva.internal.worker;

import io.geneva.ConfigurationException;
import io.geneva.GenevaException;
import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
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
 *       <digest>.<ext>.ok}, a marker recording the package file's size, modification time and file
 *       key when it arrived; the marker's own modification time is when the package was last used.
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
 * followed by a file lock, so it needs a file system with working {@link FileLock}s (a local one).
 * A worker takes a {@link #lease} on the packages of its manifests before it ensures them, so that an
 * eviction cannot remove a package between {@link #ensure} and its use.
 */
public final class NodeCache {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCache.class);

  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
  private static final Pattern PACKAGE_FILE = Pattern.compile("([0-9a-f]{64})\\.([a-z0-9]{1,10})");
  private static final Pattern PREFIX_DIRECTORY = Pattern.compile("[0-9a-f]{2}");
  private static final String MARKER_SUFFIX = ".ok";
  private static final String LEASE_SUFFIX = ".lease";
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final Duration STALE_TEMPORARY = Duration.ofDays(1);

  private static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> READ_ONLY_FILE =
      PosixFilePermissions.fromString("r--------");

  /**
   * Lease files are locked on one byte far past their content rather than whole: on platforms where
   * file locks are mandatory, an evictor can then still read the digests of a live lease.
   */
  private static final long LEASE_LOCK_POSITION = Long.MAX_VALUE - 1;

  /**
   * In-JVM locks by lock file, shared by every cache in this JVM: a second {@link FileChannel#lock()}
   * on a file this JVM already locks throws {@link OverlappingFileLockException} instead of waiting,
   * so threads queue here before they take the file lock.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** The lease files this JVM holds open: a tryLock on them would throw instead of answering. */
  private static final Set<Path> OPEN_LEASES = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final Path packages;
  private final Path locks;
  private final Path tmp;
  private final Path leases;
  private final Path evictLock;
  private final long maxBytes;
  private final Clock clock;
  private final boolean posix;

  private NodeCache(Path directory, long maxBytes, Clock clock, boolean posix) {
    this.directory = directory;
    this.packages = directory.resolve("packages");
    this.locks = directory.resolve("locks");
    this.tmp = directory.resolve("tmp");
    this.leases = directory.resolve("leases");
    this.evictLock = directory.resolve("evict.lock");
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.posix = posix;
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
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes < 0: " + maxBytes);
    }
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      Files.createDirectories(directory, directoryAttributes(posix));
      Path root = directory.toRealPath();
      NodeCache cache = new NodeCache(root, maxBytes, clock, posix);
      for (Path dir : List.of(cache.packages, cache.locks, cache.tmp, cache.leases)) {
        cache.createPrivateDirectory(dir);
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
    String digest = requireDigest(pkg.sha256(), "package " + pkg.key());
    ObjectKey key = ObjectKey.of(pkg.key());
    Path file = packageFile(digest, extensionOf(key));
    Path marker = markerOf(file);
    try {
      if (isVerified(file, marker) && touch(marker)) {
        LOG.debug("package {} found in the node cache", key);
        return new Entry(file, false, 0);
      }
      return withLock(lockFileOf(digest), () -> ensureLocked(pkg, key, storage, file, marker));
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
      digests.add(requireDigest(Objects.requireNonNull(digest, "digest"), "lease"));
    }
    try {
      // Under evict.lock, so an evictor never reads a lease that is not yet complete.
      return withLock(evictLock, () -> createLease(digests));
    } catch (IOException e) {
      throw new GenevaException(
          "node cache " + directory + " cannot record a lease in " + leases + ": " + e
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
      return withLock(evictLock, this::evictLocked);
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
      if (contentMatches(file, pkg)) {
        makeReadOnly(file);
        writeMarker(file, marker);
        touch(marker);
        LOG.debug("package {} verified by hashing in the node cache", key);
        return new Entry(file, false, 0);
      }
      LOG.debug("package {} in the node cache is corrupt; downloading it again", key);
      deletePackage(file, marker);
    }
    long bytes = download(pkg, key, storage, file);
    writeMarker(file, marker);
    touch(marker);
    LOG.debug("package {} downloaded into the node cache ({} bytes)", key, bytes);
    return new Entry(file, true, bytes);
  }

  /** Whether the file is there and unchanged since it arrived verified: one stat, no content read. */
  private static boolean isVerified(Path file, Path marker) throws IOException {
    BasicFileAttributes attributes;
    String recorded;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      recorded = Files.readString(marker, StandardCharsets.UTF_8);
    } catch (NoSuchFileException | CharacterCodingException e) {
      return false; // missing, or a marker this cache did not write: verify by hashing
    }
    return attributes.isRegularFile() && recorded.equals(describe(attributes));
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
    Path part = Files.createTempFile(tmp, pkg.sha256() + "-", ".part", fileAttributes(PRIVATE_FILE));
    try {
      Copied copied = copy(storage, key, part, pkg.size());
      if (copied.tooLong() || copied.size() != pkg.size() || !copied.sha256().equals(pkg.sha256())) {
        throw integrityFailure(pkg, storage, copied);
      }
      makeReadOnly(part);
      createPrivateDirectory(file.getParent());
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
      return copied.size();
    } catch (Throwable e) {
      deleteAfterFailure(part, e);
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
  private void writeMarker(Path file, Path marker) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Path part =
        Files.createTempFile(tmp, file.getFileName() + "-", ".ok.part", fileAttributes(PRIVATE_FILE));
    try {
      Files.writeString(part, describe(attributes), StandardCharsets.UTF_8);
      Files.move(part, marker, StandardCopyOption.ATOMIC_MOVE);
    } catch (Throwable e) {
      deleteAfterFailure(part, e);
      throw e;
    }
  }

  /** What a marker records: what changes when a file is written to, truncated or replaced. */
  private static String describe(BasicFileAttributes attributes) {
    Object fileKey = attributes.fileKey();
    return "size=" + attributes.size() + "\n"
        + "mtime=" + attributes.lastModifiedTime().toMillis() + "\n"
        + "fileKey=" + (fileKey == null ? "" : fileKey) + "\n";
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
  // leases and eviction

  private Lease createLease(List<String> digests) throws IOException {
    String name =
        ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + LEASE_SUFFIX;
    Path file = leases.resolve(name);
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel channel = FileChannel.open(file, options, fileAttributes(PRIVATE_FILE));
    try {
      channel.lock(LEASE_LOCK_POSITION, 1, false);
      StringBuilder text = new StringBuilder();
      for (String digest : digests) {
        text.append(digest).append('\n');
      }
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      OPEN_LEASES.add(file);
      return new FileLease(file, channel);
    } catch (Throwable e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      deleteAfterFailure(file, e);
      throw e;
    }
  }

  /** A lease held as a locked file in {@code leases/}. */
  private static final class FileLease implements Lease {
    private final Path file;
    private final FileChannel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    FileLease(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      IOException failure = null;
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        failure = e;
      }
      try {
        channel.close(); // releases the lock: a file left behind is now stale and evict() removes it
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      } finally {
        OPEN_LEASES.remove(file);
      }
      if (failure != null) {
        throw new GenevaException(
            "cannot release node cache lease " + file + ": " + failure
                + "; if the file remains, the next eviction removes it",
            failure);
      }
    }

    @Override
    public String toString() {
      return "Lease[" + file + (closed.get() ? ", closed]" : "]");
    }
  }

  /** The part of {@link #evict()} that runs holding {@code evict.lock}. */
  private int evictLocked() throws IOException {
    Set<String> leased = liveLeasedDigests();
    deleteStaleTemporaryFiles();
    List<CachedPackage> cached = cachedPackages();
    long total = 0;
    for (CachedPackage p : cached) {
      total += p.size();
    }
    cached.sort(Comparator.comparing(CachedPackage::lastUsed).thenComparing(CachedPackage::file));
    int removed = 0;
    for (CachedPackage p : cached) {
      if (total <= maxBytes) {
        break;
      }
      if (!leased.contains(p.digest()) && removeIfIdle(p)) {
        total -= p.size();
        removed++;
      }
    }
    LOG.debug("evicted {} packages from node cache {}; {} bytes remain", removed, directory, total);
    return removed;
  }

  /** A package file in the cache, with its size and when it was last used. */
  private record CachedPackage(String digest, Path file, Path marker, long size, Instant lastUsed) {}

  /** The digests named by leases whose owners are alive; deletes the files of dead owners' leases. */
  private Set<String> liveLeasedDigests() throws IOException {
    Set<String> digests = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(leases, "*" + LEASE_SUFFIX)) {
      for (Path lease : files) {
        if (isLive(lease)) {
          digests.addAll(readDigests(lease));
        }
      }
    }
    return digests;
  }

  /** Whether a lease's owner still holds its lock; if not, the owner died and the file is deleted. */
  private static boolean isLive(Path lease) throws IOException {
    if (OPEN_LEASES.contains(lease)) {
      return true;
    }
    try (FileChannel channel =
        FileChannel.open(lease, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock(LEASE_LOCK_POSITION, 1, false);
      if (lock == null) {
        return true;
      }
      Files.deleteIfExists(lease);
      LOG.debug("deleted stale node cache lease {}: its owner is gone", lease.getFileName());
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // this JVM holds it, through a channel other than a lease of this class
    } catch (NoSuchFileException e) {
      return false; // closed meanwhile
    }
  }

  private static List<String> readDigests(Path lease) throws IOException {
    List<String> digests = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(lease, StandardCharsets.UTF_8)) {
        if (DIGEST.matcher(line).matches()) {
          digests.add(line);
        }
      }
    } catch (NoSuchFileException e) {
      // Closed meanwhile: it protects nothing any more.
    }
    return digests;
  }

  private void deleteStaleTemporaryFiles() throws IOException {
    Instant cutoff = clock.instant().minus(STALE_TEMPORARY);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path file : files) {
        try {
          FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
          if (modified.toInstant().isBefore(cutoff)) {
            deleteFile(file);
            LOG.debug("deleted stale temporary file {} from the node cache", file.getFileName());
          }
        } catch (NoSuchFileException e) {
          // Finished or removed by another process meanwhile.
        }
      }
    }
  }

  /** Every package file under {@code packages/<aa>/}; anything not named as Geneva names it is left. */
  private List<CachedPackage> cachedPackages() throws IOException {
    List<CachedPackage> cached = new ArrayList<>();
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(packages)) {
      for (Path prefix : prefixes) {
        String name = prefix.getFileName().toString();
        if (PREFIX_DIRECTORY.matcher(name).matches()
            && Files.isDirectory(prefix, LinkOption.NOFOLLOW_LINKS)) {
          addPackages(prefix, name, cached);
        }
      }
    }
    return cached;
  }

  private void addPackages(Path prefix, String prefixName, List<CachedPackage> cached)
      throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
      for (Path file : files) {
        Matcher m = PACKAGE_FILE.matcher(file.getFileName().toString());
        if (!m.matches() || !m.group(1).startsWith(prefixName)) {
          continue;
        }
        Path marker = markerOf(file);
        try {
          BasicFileAttributes attributes =
              Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          Instant lastUsed = lastUsed(file, marker);
          cached.add(new CachedPackage(m.group(1), file, marker, attributes.size(), lastUsed));
        } catch (NoSuchFileException e) {
          // Removed meanwhile.
        }
      }
    }
  }

  /** When a package was last used: its marker's time, or the file's own if it has no marker. */
  private static Instant lastUsed(Path file, Path marker) throws IOException {
    try {
      return Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (NoSuchFileException e) {
      return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
    }
  }

  /**
   * Removes a package unless a thread or process holds its lock (it is downloading or verifying it,
   * so it is in use). Returns whether it was removed.
   */
  private boolean removeIfIdle(CachedPackage p) throws IOException {
    Path lockFile = lockFileOf(p.digest());
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
    if (!jvmLock.tryLock()) {
      return false;
    }
    try (FileChannel channel = openLockFile(lockFile)) {
      if (channel.tryLock() == null) {
        return false;
      }
      deletePackage(p.file(), p.marker());
      LOG.debug("evicted package {} ({} bytes) from the node cache", p.file().getFileName(), p.size());
      return true;
    } finally {
      jvmLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // paths, locks and files

  private static String requireDigest(String digest, String owner) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          owner + " names sha256 \"" + digest + "\", which is not 64 lower-case hex digits;"
              + " the manifest is corrupt or was not written by Geneva");
    }
    return digest;
  }

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

  private Path packageFile(String digest, String extension) {
    return packages.resolve(digest.substring(0, 2)).resolve(digest + "." + extension);
  }

  private static Path markerOf(Path file) {
    return file.resolveSibling(file.getFileName() + MARKER_SUFFIX);
  }

  private Path lockFileOf(String digest) {
    return locks.resolve(digest + ".lock");
  }

  /** An action on the cache's files that may fail with an {@link IOException}. */
  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /** Runs an action holding a lock file: first this JVM's lock on it, then the file lock. */
  private <T> T withLock(Path lockFile, IoAction<T> action) throws IOException {
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
  private static void lockWaitingOutFalseDeadlocks(FileChannel channel) throws IOException {
    long pauseMillis = 2;
    while (true) {
      try {
        channel.lock();
        return;
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("deadlock")) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis + ThreadLocalRandom.current().nextLong(pauseMillis + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for a node cache lock");
      }
      pauseMillis = Math.min(pauseMillis * 2, 100);
    }
  }

  private FileChannel openLockFile(Path lockFile) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return FileChannel.open(lockFile, options, fileAttributes(PRIVATE_FILE));
  }

  /** Creates a directory owner-only, and makes an existing one so if others could write to it. */
  private void createPrivateDirectory(Path dir) throws IOException {
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

  private static FileAttribute<?>[] directoryAttributes(boolean posix) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY)}
        : new FileAttribute<?>[0];
  }

  private FileAttribute<?>[] fileAttributes(Set<PosixFilePermission> permissions) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  private void makeReadOnly(Path file) throws IOException {
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
  private void deletePackage(Path file, Path marker) throws IOException {
    deleteFile(marker);
    deleteFile(file);
  }

  private void deleteFile(Path file) throws IOException {
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
  private void deleteAfterFailure(Path file, Throwable failure) {
    try {
      deleteFile(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
