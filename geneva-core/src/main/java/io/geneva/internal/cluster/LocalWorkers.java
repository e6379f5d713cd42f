package io.geneva.internal.cluster;

import io.geneva.ExitPolicy;
import io.geneva.GenevaException;
import io.geneva.LocalCluster;
import io.geneva.ProvisioningException;
import io.geneva.WorkerReport;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.job.JobRunner;
import io.geneva.internal.worker.Protocol;
import io.geneva.internal.worker.StateFile;
import io.geneva.internal.worker.WorkerMain;
import io.geneva.internal.worker.WorkerServer;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.ProvisionContext;
import io.geneva.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster: worker JVMs on this machine, described by files in {@code
 * <home>/clusters/local/<name>/}: {@code token} (the secret every connection presents, owner-only),
 * {@code cluster.properties} (the digest of how the workers were launched) and one {@code
 * worker-<i>.properties} per worker with its pid and port. A later session whose launch digest
 * matches reuses the running workers; a different one stops them and starts new ones. Workers that
 * died are replaced before each warmup and job.
 *
 * <p>Thread-safe.
 */
final class LocalWorkers implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Map<Path, Object> IN_JVM_LOCKS = new ConcurrentHashMap<>();

  private final LocalCluster spec;
  private final ProvisionContext context;
  private final Path directory;
  private final String token;
  private final Launch launch;
  private final WorkerClient[] workers;
  private final int reused;
  private final String replacedBecause;
  private boolean closed;

  private LocalWorkers(
      LocalCluster spec, ProvisionContext context, Path directory, String token, Launch launch,
      WorkerClient[] workers, int reused, String replacedBecause) {
    this.spec = spec;
    this.context = context;
    this.directory = directory;
    this.token = token;
    this.launch = launch;
    this.workers = workers;
    this.reused = reused;
    this.replacedBecause = replacedBecause;
  }

  /** How workers of this cluster are started, and the digest that decides reuse. */
  private record Launch(List<String> command, Map<String, String> environment, String digest) {}

  static LocalWorkers provision(LocalCluster spec, ProvisionContext context) {
    Path directory = context.home().resolve("clusters").resolve("local").resolve(spec.name());
    try {
      createPrivateDirectories(directory);
      synchronized (IN_JVM_LOCKS.computeIfAbsent(directory.toAbsolutePath(), d -> new Object())) {
        try (FileChannel channel = FileChannel.open(directory.resolve("cluster.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          return provisionLocked(spec, context, directory);
        }
      }
    } catch (IOException e) {
      throw new ProvisioningException("cannot set up local cluster \"" + spec.name() + "\" in " + directory
          + ": " + e + "; check that the Geneva home is writable", e);
    }
  }

  private static LocalWorkers provisionLocked(LocalCluster spec, ProvisionContext context, Path directory)
      throws IOException {
    String token = token(directory.resolve("token"));
    Launch launch = launch(spec, context, directory);
    Properties state = StateFile.read(directory.resolve("cluster.properties"));
    String previous = state.getProperty("launch");
    boolean sameLaunch = launch.digest().equals(previous);
    WorkerClient[] workers = new WorkerClient[spec.workerCount()];
    int reused = 0;
    int stopped = 0;
    for (Path file : workerStateFiles(directory)) {
      Properties worker = StateFile.read(file);
      int index = index(file);
      if (sameLaunch && index >= 0 && index < workers.length) {
        Optional<WorkerClient> client = connect(worker, token);
        if (client.isPresent()) {
          workers[index] = client.get();
          reused++;
          continue;
        }
      } else if (stop(worker, token)) {
        stopped++;
      }
      Files.deleteIfExists(file);
    }
    String replacedBecause = stopped == 0 ? "" : "its launch settings changed";
    if (!replacedBecause.isEmpty()) {
      log.info("local cluster \"{}\": replacing the running workers because {}", spec.name(), replacedBecause);
    }
    LocalWorkers cluster = new LocalWorkers(spec, context, directory, token, launch, workers, reused, replacedBecause);
    cluster.startMissing();
    state.setProperty("launch", launch.digest());
    state.setProperty("workers", Integer.toString(workers.length));
    StateFile.write(directory.resolve("cluster.properties"), state, "geneva local cluster");
    log.info("local cluster \"{}\": {}", spec.name(), cluster.description());
    return cluster;
  }

  @Override
  public String description() {
    return "local \"" + spec.name() + "\": " + workers.length + " workers (" + reused + " reused"
        + (replacedBecause.isEmpty() ? "" : ", replaced because " + replacedBecause) + ")";
  }

  @Override
  public List<WorkerReport> warmup(URI manifestUri) {
    List<WorkerClient> live = liveWorkers();
    List<CompletableFuture<WorkerReport>> reports = new ArrayList<>();
    for (WorkerClient w : live) {
      reports.add(w.bootstrap(manifestUri));
    }
    List<WorkerReport> done = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      try {
        done.add(reports.get(i).join());
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        throw new ProvisioningException("worker " + live.get(i).name() + " could not bootstrap manifest "
            + manifestUri + ": " + (cause instanceof GenevaException ? cause.getMessage() : cause), cause);
      }
    }
    return done;
  }

  @Override
  public CompletableFuture<List<PartitionOutcome>> run(JobRequest request, JobObserver observer) {
    if (request.resources().gpus() > 0) {
      return CompletableFuture.failedFuture(new io.geneva.JobException("job " + request.jobId() + " asks "
          + request.resources().describe() + " per task, but the local cluster \"" + spec.name() + "\" has no GPUs;"
          + " run it on a KubeRay cluster with a GPU worker group, or drop the GPUs from the job's resources", null));
    }
    return JobRunner.run(request, liveWorkers(), observer);
  }

  /** The workers, after replacing any that died. */
  private synchronized List<WorkerClient> liveWorkers() {
    if (closed) {
      throw new IllegalStateException("the local cluster \"" + spec.name() + "\" was closed");
    }
    startMissing();
    return List.of(workers);
  }

  /** Starts a process for every slot without a live worker, all at once, and connects to each. */
  private synchronized void startMissing() {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      if (workers[i] == null || !workers[i].alive()) {
        if (workers[i] != null) {
          log.info("local cluster \"{}\": replacing lost worker {}", spec.name(), workers[i].name());
          workers[i].close();
          workers[i] = null;
        }
        missing.add(i);
      }
    }
    List<Process> processes = new ArrayList<>();
    for (int i : missing) {
      processes.add(start(i));
    }
    for (int k = 0; k < missing.size(); k++) {
      workers[missing.get(k)] = awaitStarted(missing.get(k), processes.get(k));
    }
  }

  private Process start(int index) {
    Path state = stateFile(directory, index);
    Path logFile = directory.resolve("worker-" + index + ".log");
    try {
      Files.deleteIfExists(state);
      List<String> command = new ArrayList<>(launch.command());
      command.addAll(List.of("--name", workerName(index), "--state", state.toString()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(storageEnvironment());
      builder.environment().putAll(launch.environment());
      Process process = builder.start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new ProvisioningException("cannot start worker " + workerName(index) + " with "
          + launch.command().get(0) + ": " + e.getMessage() + "; check LocalCluster.javaExecutable", e);
    }
  }

  /** What the storage providers of this JVM say a worker needs to reach the same storage. */
  private static Map<String, String> storageEnvironment() {
    Map<String, String> environment = new TreeMap<>();
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class, LocalWorkers.class.getClassLoader())) {
      environment.putAll(p.workerEnvironment());
    }
    return environment;
  }

  private WorkerClient awaitStarted(int index, Process process) {
    Path state = stateFile(directory, index);
    long deadline = System.nanoTime() + spec.startTimeout().toNanos();
    while (true) {
      if (Files.exists(state)) {
        Properties p = StateFile.read(state);
        try {
          return WorkerClient.connect(workerName(index), Integer.parseInt(p.getProperty("port")), token, CONNECT_TIMEOUT);
        } catch (IOException | RuntimeException e) {
          process.destroyForcibly();
          throw new ProvisioningException("worker " + workerName(index) + " started but cannot be reached: " + e, e);
        }
      }
      if (!process.isAlive()) {
        throw new ProvisioningException("worker " + workerName(index) + " could not start: its JVM exited with status "
            + process.exitValue() + ". " + tail(directory.resolve("worker-" + index + ".log"))
            + "; check the cluster's JVM options and java executable");
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new ProvisioningException("worker " + workerName(index) + " did not start within " + spec.startTimeout()
            + ". " + tail(directory.resolve("worker-" + index + ".log")) + "; raise LocalCluster.startTimeout on a slow machine");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new ProvisioningException("interrupted while worker " + workerName(index) + " started", e);
      }
    }
  }

  @Override
  public synchronized void close(boolean sessionFailed) {
    if (closed) {
      return;
    }
    closed = true;
    ExitPolicy policy = spec.exitPolicy();
    boolean retain = policy == ExitPolicy.RETAIN || (policy == ExitPolicy.RETAIN_ON_FAILURE && sessionFailed);
    for (int i = 0; i < workers.length; i++) {
      WorkerClient w = workers[i];
      if (w == null) {
        continue;
      }
      if (retain) {
        w.close();
      } else {
        w.shutdown();
        ProcessHandle.of(w.pid()).ifPresent(LocalWorkers::awaitOrKill);
        try {
          Files.deleteIfExists(stateFile(directory, i));
        } catch (IOException e) {
          // A stale state file is recognized by its dead pid.
        }
      }
    }
    log.info("local cluster \"{}\": {}", spec.name(), retain ? "retained" : "stopped");
  }

  private static void awaitOrKill(ProcessHandle process) {
    try {
      process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  // ---- launch settings and state files

  private static Launch launch(LocalCluster spec, ProvisionContext context, Path directory) {
    Path java = spec.javaExecutable().orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    Path cache = spec.cacheDirectory().orElse(context.home().resolve("cache")).toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(spec.jvmOptions());
    command.addAll(context.jvmOptions());
    command.addAll(List.of("-cp", WorkerJvmClasspath.get(), WorkerMain.class.getName(),
        "--token", directory.resolve("token").toString(),
        "--cache", cache.toString(),
        "--cache-max-bytes", Long.toString(spec.cacheMaxBytes()),
        "--idle-timeout-millis", Long.toString(spec.idleTimeout().toMillis())));
    if (spec.exitPolicy() == ExitPolicy.DELETE) {
      command.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
    }
    Map<String, String> environment = new TreeMap<>(context.environment());
    String digest = Sha256.of("protocol " + Protocol.VERSION + "\n" + String.join("\n", command) + "\n"
        + environment + "\nworkers " + spec.workerCount() + "\nstart " + spec.startTimeout());
    return new Launch(List.copyOf(command), environment, digest);
  }

  private static String workerName(int index) {
    return "local-" + (index + 1);
  }

  private static Path stateFile(Path directory, int index) {
    return directory.resolve("worker-" + index + ".properties");
  }

  private static List<Path> workerStateFiles(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().matches("worker-\\d+\\.properties")).sorted().toList();
    }
  }

  private static int index(Path stateFile) {
    String name = stateFile.getFileName().toString();
    try {
      return Integer.parseInt(name.substring("worker-".length(), name.length() - ".properties".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A connection to a recorded worker, if it is alive and the process is the one recorded. */
  private static Optional<WorkerClient> connect(Properties worker, String token) {
    if (!recordedProcessAlive(worker)) {
      return Optional.empty();
    }
    try {
      return Optional.of(WorkerClient.connect(
          worker.getProperty("name", ""), Integer.parseInt(worker.getProperty("port", "-1")), token, CONNECT_TIMEOUT));
    } catch (IOException | RuntimeException e) {
      log.debug("recorded worker {} cannot be reached: {}", worker.getProperty("name"), e.toString());
      return Optional.empty();
    }
  }

  private static boolean recordedProcessAlive(Properties worker) {
    return recordedProcess(worker).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The recorded process, only if its start time matches: a pid may have been reused since. */
  private static Optional<ProcessHandle> recordedProcess(Properties worker) {
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
  private static boolean stop(Properties worker, String token) {
    Optional<ProcessHandle> process = recordedProcess(worker);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    connect(worker, token).ifPresent(WorkerClient::shutdown);
    awaitOrKill(process.get());
    return true;
  }

  private static String token(Path file) throws IOException {
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

  private static void createPrivateDirectories(Path directory) throws IOException {
    io.geneva.internal.io.PrivateFiles.createDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // Reused.
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return last.isEmpty() ? "Its log " + log + " is empty" : "Its log " + log + " ends: " + String.join(" | ", last);
    } catch (IOException e) {
      return "Its log " + log + " cannot be read";
    }
  }

  @Override
  public String toString() {
    return description();
  }
}
