package io.geneva.internal.cluster;

import io.geneva.internal.worker.WorkerServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files through which a local cluster finds its workers: each worker's state file (name, pid,
 * process start, port), the cluster's token, and the recorded processes they name. Static helpers.
 */
final class WorkerRecords {
  private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private WorkerRecords() {}

  static void awaitOrKill(ProcessHandle process) {
    awaitOrKill(process, 5);
  }

  static void awaitOrKill(ProcessHandle process, int seconds) {
    try {
      process.onExit().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  static String workerName(int index) {
    return "local-" + (index + 1);
  }

  static Path stateFile(Path directory, int index) {
    return directory.resolve("worker-" + index + ".properties");
  }

  static List<Path> workerStateFiles(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().matches("worker-\\d+\\.properties")).sorted().toList();
    }
  }

  static int index(Path stateFile) {
    String name = stateFile.getFileName().toString();
    try {
      return Integer.parseInt(name.substring("worker-".length(), name.length() - ".properties".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A connection to a recorded worker, if it is alive and the process is the one recorded. */
  static Optional<WorkerClient> connect(Properties worker, String token, Path logFile) {
    if (!recordedProcessAlive(worker)) {
      return Optional.empty();
    }
    try {
      return Optional.of(WorkerClient.connect(
          worker.getProperty("name", ""), Integer.parseInt(worker.getProperty("port", "-1")), token, CONNECT_TIMEOUT,
          logFile));
    } catch (IOException | RuntimeException e) {
      log.debug("recorded worker {} cannot be reached: {}", worker.getProperty("name"), e.toString());
      return Optional.empty();
    }
  }

  static boolean recordedProcessAlive(Properties worker) {
    return recordedProcess(worker).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The recorded process, only if its start time matches: a pid may have been reused since. */
  static Optional<ProcessHandle> recordedProcess(Properties worker) {
    try {
      long pid = Long.parseLong(worker.getProperty("pid", "-1"));
      long started = Long.parseLong(worker.getProperty("started", "0"));
      return ProcessHandle.of(pid).filter(p -> WorkerServer.processStart(p) == started);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops a recorded worker of another launch: asks it, and kills it if it does not listen.
   *
   * @return whether it was running
   */
  static boolean stop(Properties worker, String token) {
    Optional<ProcessHandle> process = recordedProcess(worker);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    connect(worker, token, Path.of("worker.log")).ifPresent(WorkerClient::shutdown);
    awaitOrKill(process.get());
    return true;
  }

  static String token(Path file) throws IOException {
    try {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, HexFormat.of().formatHex(secret));
    } catch (FileAlreadyExistsException e) {
      // Made by an earlier session: the running workers know it.
    } catch (UnsupportedOperationException e) {
      throw new IOException("the file system of " + file + " has no POSIX permissions to keep the worker token private", e);
    }
    String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (token.length() != 64) {
      Files.delete(file);
      return token(file);
    }
    return token;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return last.isEmpty() ? "Its log " + log + " is empty" : "Its log " + log + " ends: " + String.join(" | ", last);
    } catch (IOException e) {
      return "Its log " + log + " cannot be read";
    }
  }

}
