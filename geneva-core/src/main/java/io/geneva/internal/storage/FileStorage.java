package io.geneva.internal.storage;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.AtomicFiles;
import io.geneva.internal.io.IoProblems;
import io.geneva.internal.io.PrivateFiles;
import io.geneva.internal.io.StagingDirectories;
import io.geneva.spi.Content;
import io.geneva.spi.LocalStaging;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Storage in a local (or mounted) directory: {@code <root>/packages/sha256/<aa>/<digest>.jar} and
 * {@code <root>/manifests/<digest>.json}. A put streams into {@code <root>/.staging}, verifying size
 * and digest as it copies, and renames atomically into place, so an object is visible only whole and
 * concurrent puts of one key both succeed. Thread-safe.
 */
public final class FileStorage implements Storage, LocalStaging {
  private static final String STAGING = ".staging";
  /**
   * Objects are owner-only, whatever the umask: an object is never more readable than the file it
   * came from (a {@code 0600} workspace file must not become a world-readable object), and the
   * simplest rule that guarantees it is to let no one but the owner read any object. Directories the
   * storage creates are {@code rwx------} likewise.
   */
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OBJECT_PERMISSIONS =
      PrivateFiles.FILE;

  private final URI root;
  private final Path directory;
  /** Staging directories this instance created, released once their users delete them. */
  private final List<StagingDirectories.Owned> owned = new ArrayList<>();
  /** This instance's own staging directory for {@link #put}'s temporary files, made on first use. */
  private StagingDirectories.Owned putStaging;
  /** Parent directories known to exist, so a commit costs one rename, not a mkdir per level. */
  private final java.util.Set<Path> existingDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FileStorage(URI root, Path directory) {
    this.root = root;
    this.directory = directory;
  }

  /**
   * Opens (creating if needed) storage in a directory and checks that it can be written; leftovers of
   * killed sessions in its staging directory are aged by the system clock, which stamps file times.
   *
   * @throws StorageException naming the root if it cannot be created or written
   */
  public static FileStorage open(Path directory) {
    return open(directory, Clock.systemUTC());
  }

  /**
   * Opens (creating if needed) storage in a directory and checks that it can be written, reclaiming
   * what killed sessions left in its staging directory: a session directory whose owner's lock is
   * free, and any other entry older than {@link StagingDirectories#ORPHAN_AGE} by {@code clock}.
   *
   * @throws StorageException naming the root if it cannot be created or written
   */
  public static FileStorage open(Path directory, Clock clock) {
    Path dir = directory.toAbsolutePath().normalize();
    URI uri = rootUri(dir);
    try {
      PrivateFiles.createDirectories(dir.resolve(STAGING));
      Path probe = Files.createTempFile(dir.resolve(STAGING), "probe", ".tmp");
      Files.delete(probe);
      // What killed sessions left: reclaimed now, not after a day.
      StagingDirectories.reclaim(dir.resolve(STAGING), clock);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new StorageException(
          "storage root " + uri + " cannot be used: " + e.getFile()
              + " exists and is not a directory; choose another root or move that file away",
          e);
    } catch (AccessDeniedException e) {
      throw new StorageException(
          "storage root " + uri + " cannot be written: permission denied on " + e.getFile()
              + "; choose a writable directory or fix its permissions",
          e);
    } catch (IOException e) {
      throw new StorageException(
          "storage root " + uri + " cannot be written: " + IoProblems.describe(e) + "; choose a writable directory", e);
    }
    return new FileStorage(uri, dir);
  }

  /**
   * The root URI of file storage in a directory, without opening it: always ending in '/', since the
   * same root must always give the same URI (it keys the local record of stored objects and the
   * report history) and {@link Path#toUri()} adds the '/' only for a directory that exists.
   */
  public static URI rootUri(Path directory) {
    String uri = directory.toAbsolutePath().normalize().toUri().toString();
    return URI.create(uri.endsWith("/") ? uri : uri + "/");
  }

  /** The directory this storage writes to. */
  public Path directory() {
    return directory;
  }

  @Override
  public URI root() {
    return root;
  }

  private Path path(ObjectKey key) {
    return directory.resolve(key.path());
  }

  @Override
  public Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    Map<ObjectKey, OptionalLong> missing = new HashMap<>();
    for (Map.Entry<ObjectKey, Long> e : expectedSizes.entrySet()) {
      try {
        long size = Files.size(path(e.getKey()));
        if (e.getValue() >= 0 && size != e.getValue()) {
          missing.put(e.getKey(), OptionalLong.of(size));
        }
      } catch (NoSuchFileException ex) {
        missing.put(e.getKey(), OptionalLong.empty());
      } catch (IOException ex) {
        throw new StorageException("cannot check " + e.getKey() + " in storage root " + root + ": " + ex, ex);
      }
    }
    return missing;
  }

  @Override
  public void put(ObjectKey key, Content content) {
    Path target = path(key);
    Path tmp = null;
    try {
      tmp = PrivateFiles.createTempFile(putStaging(), key.fileName(), ".tmp");
      MessageDigest md = Sha256.newDigest();
      long size = 0;
      byte[] buf = Sha256.buffer();
      // Never more than one byte past the expected size: a source that keeps growing (or a device)
      // must not fill the staging directory before the size check can refuse it.
      long limit = content.size() + 1;
      try (InputStream in = content.open();
          OutputStream out = PrivateFiles.newOutputStream(tmp)) {
        for (int n; size < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - size))) != -1; ) {
          md.update(buf, 0, n);
          out.write(buf, 0, n);
          size += n;
        }
      }
      String digest = Sha256.hex(md.digest());
      if (size != content.size() || !digest.equals(content.sha256())) {
        throw new IntegrityException(
            "content for " + key + " (" + content + ") read as " + size + " bytes with sha256 " + digest
                + "; it changed or is corrupt, so nothing was stored");
      }
      ensureParent(target);
      publishable(tmp);
      AtomicFiles.move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new StorageException("cannot write " + key + " to storage root " + root + ": " + e, e, false);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Left for cleanStaleStaging; the object itself was never made visible.
        }
      }
    }
  }

  /** Gives a file about to become an object the same permissions whichever way it was written. */
  private static void publishable(Path file) throws IOException {
    PrivateFiles.restrict(file, OBJECT_PERMISSIONS);
  }

  private void ensureParent(Path target) throws IOException {
    Path parent = target.getParent();
    if (!existingDirectories.contains(parent)) {
      PrivateFiles.createDirectories(parent);
      existingDirectories.add(parent);
    }
  }

  @Override
  public Optional<LocalStaging> localStaging() {
    return Optional.of(this);
  }

  @Override
  public Path newDirectory() throws IOException {
    StagingDirectories.Owned created = StagingDirectories.create(directory.resolve(STAGING));
    synchronized (owned) {
      // Their users delete them when done; then their locks can go.
      owned.removeIf(
          o -> {
            if (o.exists()) {
              return false;
            }
            o.release();
            return true;
          });
      owned.add(created);
    }
    return created.directory();
  }

  private synchronized Path putStaging() throws IOException {
    if (putStaging == null || !putStaging.exists()) {
      putStaging = StagingDirectories.create(directory.resolve(STAGING));
    }
    return putStaging.directory();
  }

  @Override
  public void commit(Path file, ObjectKey key) {
    Path target = path(key);
    try {
      ensureParent(target);
      publishable(file);
      AtomicFiles.move(file, target);
    } catch (IOException e) {
      throw new StorageException("cannot write " + key + " to storage root " + root + ": " + e, e, false);
    }
  }

  @Override
  public InputStream open(ObjectKey key) {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new StorageException("object " + key + " does not exist in storage root " + root, e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " from storage root " + root + ": " + e, e);
    }
  }

  @Override
  public Optional<StoredObject> stat(ObjectKey key) {
    try {
      BasicFileAttributes a = Files.readAttributes(path(key), BasicFileAttributes.class);
      return Optional.of(new StoredObject(key, a.size(), a.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot check " + key + " in storage root " + root + ": " + e, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    Path start = directory.resolve(prefix.isEmpty() ? "." : prefix).normalize();
    if (!start.startsWith(directory)) {
      throw new IllegalArgumentException("prefix \"" + prefix + "\" leaves the storage root");
    }
    Path walkFrom = Files.isDirectory(start) ? start : start.getParent();
    if (walkFrom == null || !Files.isDirectory(walkFrom)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(walkFrom)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = directory.relativize(p).toString().replace('\\', '/');
        if (rel.startsWith(STAGING) || !rel.startsWith(prefix)) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (a.isRegularFile()) {
          ObjectKey key;
          try {
            key = ObjectKey.of(rel);
          } catch (IllegalArgumentException foreign) {
            continue; // not an object Geneva wrote
          }
          out.add(new StoredObject(key, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new StorageException("cannot list " + prefix + " in storage root " + root + ": " + e, e);
    }
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  @Override
  public void delete(ObjectKey key) {
    try {
      Files.deleteIfExists(path(key));
    } catch (IOException e) {
      throw new StorageException("cannot delete " + key + " from storage root " + root + ": " + e, e);
    }
  }

  /** Deletes this instance's staging directories that are left, and releases their locks. */
  @Override
  public void close() {
    synchronized (owned) {
      owned.forEach(StagingDirectories.Owned::close);
      owned.clear();
    }
    synchronized (this) {
      if (putStaging != null) {
        putStaging.close();
        putStaging = null;
      }
    }
  }

  @Override
  public String toString() {
    return "FileStorage[" + root + "]";
  }
}
