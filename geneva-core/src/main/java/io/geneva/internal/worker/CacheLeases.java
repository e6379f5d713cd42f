package io.geneva.internal.worker;

import io.geneva.GenevaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node cache's leases: one locked file per open {@link NodeCache.Lease} in {@code leases/},
 * listing the digests it protects from eviction. A lease whose lock is free belongs to a process that
 * died, and is deleted when found. Thread-safe.
 */
final class CacheLeases {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCache.class);
  private static final String LEASE_SUFFIX = ".lease";

  /**
   * Lease files are locked on one byte far past their content rather than whole: on platforms where
   * file locks are mandatory, an evictor can then still read the digests of a live lease.
   */
  private static final long LEASE_LOCK_POSITION = Long.MAX_VALUE - 1;

  /** The lease files this JVM holds open: a tryLock on them would throw instead of answering. */
  private static final Set<Path> OPEN_LEASES = ConcurrentHashMap.newKeySet();

  private final CacheFiles files;

  CacheLeases(CacheFiles files) {
    this.files = files;
  }

  /** Creates and locks a lease file; call holding {@code evict.lock}. */
  NodeCache.Lease create(List<String> digests) throws IOException {
    String name =
        ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + LEASE_SUFFIX;
    Path file = files.leases.resolve(name);
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel channel = FileChannel.open(file, options, files.fileAttributes(CacheFiles.PRIVATE_FILE));
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
      files.deleteAfterFailure(file, e);
      throw e;
    }
  }

  /** A lease held as a locked file in {@code leases/}. */
  private static final class FileLease implements NodeCache.Lease {
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

  /** The digests named by leases whose owners are alive; deletes the files of dead owners' leases. */
  Set<String> liveLeasedDigests() throws IOException {
    Set<String> digests = new HashSet<>();
    try (DirectoryStream<Path> leases = Files.newDirectoryStream(files.leases, "*" + LEASE_SUFFIX)) {
      for (Path lease : leases) {
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
        if (CacheFiles.DIGEST.matcher(line).matches()) {
          digests.add(line);
        }
      }
    } catch (NoSuchFileException e) {
      // Closed meanwhile: it protects nothing any more.
    }
    return digests;
  }
}
