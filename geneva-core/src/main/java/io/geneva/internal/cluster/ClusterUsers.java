package io.geneva.internal.cluster;

import io.geneva.internal.io.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which live sessions use the workers of one launch of a local cluster: each session holds a locked
 * file in {@code <launch directory>/users/} while it is open. A file whose lock is free belongs to a
 * session whose process died; it is deleted when found. So workers are stopped (by a session with
 * another launch digest, or by the last {@code DELETE} session to close) only when no live session
 * uses them, in this JVM or any other. Thread-safe.
 */
final class ClusterUsers {
  private static final Logger log = LoggerFactory.getLogger(ClusterUsers.class);
  private static final String SUFFIX = ".user";

  /** The user files this JVM holds: a tryLock on them would throw instead of answering. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private ClusterUsers() {}

  /** One session's registration as a user of a launch; closing it unregisters. */
  static final class Registration implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Registration(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    Path file() {
      return file;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.debug("cannot delete {}; its free lock marks it stale: {}", file, e.toString());
      }
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("cannot close {}: {}", file, e.toString());
      } finally {
        HELD.remove(file);
      }
    }
  }

  /** Registers this session as a user of the launch whose directory this is. */
  static Registration register(Path launchDirectory) throws IOException {
    Path users = launchDirectory.resolve("users");
    createPrivateDirectory(launchDirectory);
    createPrivateDirectory(users);
    Path file = users.resolve(ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      channel.lock();
      HELD.add(file);
      return new Registration(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** How many live sessions other than {@code except} use the launch; deletes dead sessions' files. */
  static int liveUsers(Path launchDirectory, Registration except) throws IOException {
    Path users = launchDirectory.resolve("users");
    if (!Files.isDirectory(users)) {
      return 0;
    }
    int live = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(users, "*" + SUFFIX)) {
      for (Path user : files) {
        if ((except == null || !user.equals(except.file())) && isLive(user)) {
          live++;
        }
      }
    }
    return live;
  }

  private static boolean isLive(Path user) throws IOException {
    if (HELD.contains(user)) {
      return true;
    }
    try (FileChannel channel = FileChannel.open(user, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      Files.deleteIfExists(user);
      log.debug("deleted {}: the session that used these workers is gone", user);
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  static void createPrivateDirectory(Path directory) throws IOException {
    PrivateFiles.createDirectories(directory);
  }
}
