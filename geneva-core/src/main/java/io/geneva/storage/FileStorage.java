package io.geneva.storage;

import io.geneva.report.IoProblems;
import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.hash.Sha256;
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
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
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
  /** Objects are readable by all and writable by none but their owner: never world-writable. */
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OBJECT_PERMISSIONS =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
  private static final Duration STALE_STAGING = Duration.ofDays(1);

  private final URI root;
  private final Path directory;
  /** Parent directories known to exist, so a commit costs one rename, not a mkdir per level. */
  private final java.util.Set<Path> existingDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FileStorage(URI root, Path directory) {
    this.root = root;
    this.directory = directory;
  }

  /**
   * Opens (creating if needed) storage in a directory and checks that it can be written.
   *
   * @throws StorageException naming the root if it cannot be created or written
   */
  public static FileStorage open(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    URI uri = rootUri(dir);
    try {
      Files.createDirectories(dir.resolve(STAGING));
      Path probe = Files.createTempFile(dir.resolve(STAGING), "probe", ".tmp");
      Files.delete(probe);
      cleanStaleStaging(dir.resolve(STAGING));
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

  private static void cleanStaleStaging(Path staging) throws IOException {
    Instant cutoff = Instant.now().minus(STALE_STAGING);
    try (Stream<Path> files = Files.list(staging)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            deleteTree(p);
          }
        } catch (IOException ignored) {
          // Another process may be cleaning up too; a leftover temp file is harmless.
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> children = Files.list(p)) {
        for (Path c : (Iterable<Path>) children::iterator) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
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
      tmp = Files.createTempFile(directory.resolve(STAGING), key.fileName(), ".tmp");
      MessageDigest md = Sha256.newDigest();
      long size = 0;
      byte[] buf = Sha256.buffer();
      try (InputStream in = content.open();
          OutputStream out = Files.newOutputStream(tmp)) {
        for (int n; (n = in.read(buf)) != -1; ) {
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
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
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
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, OBJECT_PERMISSIONS);
    }
  }

  private void ensureParent(Path target) throws IOException {
    Path parent = target.getParent();
    if (!existingDirectories.contains(parent)) {
      Files.createDirectories(parent);
      existingDirectories.add(parent);
    }
  }

  @Override
  public Optional<LocalStaging> localStaging() {
    return Optional.of(this);
  }

  @Override
  public Path newDirectory() throws IOException {
    return Files.createTempDirectory(directory.resolve(STAGING), "session");
  }

  @Override
  public void commit(Path file, ObjectKey key) {
    Path target = path(key);
    try {
      ensureParent(target);
      publishable(file);
      try {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
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

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FileStorage[" + root + "]";
  }
}
