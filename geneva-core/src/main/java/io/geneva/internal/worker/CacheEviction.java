package io.geneva.internal.worker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node cache's eviction: least-recently-used packages (by their marker's modification time) are
 * removed until the cache is under its bound, never one under a live lease or one that a thread or
 * process is downloading or verifying. Runs holding {@code evict.lock}. Thread-safe.
 */
final class CacheEviction {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCache.class);
  private static final Pattern PACKAGE_FILE = Pattern.compile("([0-9a-f]{64})\\.([a-z0-9]{1,10})");
  private static final Pattern PREFIX_DIRECTORY = Pattern.compile("[0-9a-f]{2}");
  private static final Duration STALE_TEMPORARY = Duration.ofDays(1);

  private final CacheFiles files;
  private final CacheLeases leases;
  private final long maxBytes;
  private final Clock clock;

  CacheEviction(CacheFiles files, CacheLeases leases, long maxBytes, Clock clock) {
    this.files = files;
    this.leases = leases;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** Evicts; call holding {@code evict.lock}. Returns the number of packages removed. */
  int evictLocked() throws IOException {
    Set<String> leased = leases.liveLeasedDigests();
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
    LOG.debug("evicted {} packages from node cache {}; {} bytes remain", removed, files.directory, total);
    return removed;
  }

  /** A package file in the cache, with its size and when it was last used. */
  private record CachedPackage(String digest, Path file, Path marker, long size, Instant lastUsed) {}

  private void deleteStaleTemporaryFiles() throws IOException {
    Instant cutoff = clock.instant().minus(STALE_TEMPORARY);
    try (DirectoryStream<Path> temporary = Files.newDirectoryStream(files.tmp)) {
      for (Path file : temporary) {
        try {
          FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
          if (modified.toInstant().isBefore(cutoff)) {
            files.deleteFile(file);
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
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(files.packages)) {
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

  private static void addPackages(Path prefix, String prefixName, List<CachedPackage> cached)
      throws IOException {
    try (DirectoryStream<Path> packages = Files.newDirectoryStream(prefix)) {
      for (Path file : packages) {
        Matcher m = PACKAGE_FILE.matcher(file.getFileName().toString());
        if (!m.matches() || !m.group(1).startsWith(prefixName)) {
          continue;
        }
        Path marker = CacheFiles.markerOf(file);
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
    Path lockFile = files.lockFileOf(p.digest());
    ReentrantLock jvmLock = CacheFiles.JVM_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
    if (!jvmLock.tryLock()) {
      return false;
    }
    try (FileChannel channel = files.openLockFile(lockFile)) {
      if (channel.tryLock() == null) {
        return false;
      }
      files.deletePackage(p.file(), p.marker());
      LOG.debug("evicted package {} ({} bytes) from the node cache", p.file().getFileName(), p.size());
      return true;
    } finally {
      jvmLock.unlock();
    }
  }
}
