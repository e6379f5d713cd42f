package io.geneva.internal.worker;

import io.geneva.internal.io.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim that makes one worker train a class-data cache: a small file that the provisioner
 * creates before it starts the training worker, and that the worker then owns (its pid and process
 * start, written as it starts). A claim does not outlive its trainer: one whose owner process is gone
 * (a trainer that crashed, was killed, or exited without output) is stale, and so is one that no
 * worker took within {@link #UNOWNED_EXPIRY} (a provisioning that failed before its worker started),
 * as is a claim that cannot be read (an empty one, as older Geneva versions wrote). A stale claim is
 * replaced by the next one who asks, so the cache is trained again.
 *
 * <p>Claiming holds a file lock beside the claim (and this JVM's lock on it), so of any number of
 * processes that find no claim, or a stale one, exactly one gets it. Thread-safe.
 */
public final class TrainingClaim {
  /** The system property naming the claim file a training worker owns. */
  public static final String OWNER_PROPERTY = "geneva.worker.trainingClaim";
  /** How long a claim waits for its worker to own it. */
  public static final Duration UNOWNED_EXPIRY = Duration.ofMinutes(10);

  private static final Map<Path, Object> IN_JVM_LOCKS = new ConcurrentHashMap<>();

  /** Whether a process is alive: the pid, and its start in epoch millis (0 if unknown). */
  @FunctionalInterface
  public interface Processes {
    /** Whether the process with this pid that started at this time is running. */
    boolean alive(long pid, long startedMillis);

    /** This machine's processes. */
    Processes SYSTEM = (pid, started) -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(h -> started == 0 || WorkerServer.processStart(h) == 0 || WorkerServer.processStart(h) == started)
        .isPresent();
  }

  private final Clock clock;
  private final Processes processes;

  /**
   * @param clock when a claim is made, and whether an unowned one has expired
   * @param processes whether an owner is alive
   */
  public TrainingClaim(Clock clock, Processes processes) {
    this.clock = clock;
    this.processes = processes;
  }

  /**
   * Claims the training, replacing a stale claim.
   *
   * @return empty if this call claimed it; otherwise who holds the live claim, for reports
   * @throws IOException if the claim or its lock cannot be written
   */
  public Optional<String> claim(Path file) throws IOException {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    synchronized (IN_JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath(), f -> new Object())) {
      try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              PrivateFiles.attributes(lockFile, PrivateFiles.FILE));
          FileLock lock = channel.lock()) {
        if (Files.exists(file)) {
          Optional<String> holder = liveHolder(file);
          if (holder.isPresent()) {
            return holder;
          }
        }
        Properties p = new Properties();
        p.setProperty("claimed", Long.toString(clock.millis()));
        StateFile.write(file, p, "geneva class-data training claim");
        return Optional.empty();
      }
    }
  }

  /**
   * Who holds the claim, or empty if there is none or it is stale (its owner exited: a training that
   * finished, or died).
   */
  public Optional<String> live(Path file) {
    return Files.exists(file) ? liveHolder(file) : Optional.empty();
  }

  /** Who holds a claim that is not stale, or empty if it is stale. */
  private Optional<String> liveHolder(Path file) {
    Properties p;
    try {
      p = StateFile.read(file);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    long claimed = number(p.getProperty("claimed"));
    long pid = number(p.getProperty("pid"));
    if (claimed < 0) {
      return Optional.empty();
    }
    if (pid > 0) {
      long started = Math.max(0, number(p.getProperty("started")));
      return processes.alive(pid, started) ? Optional.of("worker process " + pid) : Optional.empty();
    }
    Instant expires = Instant.ofEpochMilli(claimed).plus(UNOWNED_EXPIRY);
    return clock.instant().isBefore(expires)
        ? Optional.of("a worker starting since " + Instant.ofEpochMilli(claimed)) : Optional.empty();
  }

  /**
   * Records a process as the claim's owner (a training worker, as it starts), keeping when it was
   * claimed. Does nothing if the claim is gone (assembled and cleared meanwhile).
   *
   * @throws IOException if the claim cannot be rewritten
   */
  public static void own(Path file, long pid, long startedMillis) throws IOException {
    Properties p = StateFile.read(file);
    if (p.isEmpty()) {
      return;
    }
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("started", Long.toString(startedMillis));
    StateFile.write(file, p, "geneva class-data training claim");
  }

  /** Records this JVM as the owner of the claim its {@value #OWNER_PROPERTY} names, if any. */
  static void ownFromSystemProperty() {
    String claim = System.getProperty(OWNER_PROPERTY, "");
    if (claim.isBlank()) {
      return;
    }
    try {
      own(Path.of(claim), ProcessHandle.current().pid(), WorkerServer.processStart(ProcessHandle.current()));
    } catch (IOException | RuntimeException e) {
      // The claim then expires as an unowned one: training is retried later, nothing breaks.
      System.err.println("geneva worker: cannot own the class-data training claim " + claim + ": " + e);
    }
  }

  private static long number(String s) {
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
