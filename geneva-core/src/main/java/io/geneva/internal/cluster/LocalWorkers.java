package io.geneva.internal.cluster;

import static io.geneva.internal.cluster.WorkerRecords.*;

import io.geneva.ExitPolicy;
import io.geneva.GenevaException;
import io.geneva.LocalCluster;
import io.geneva.ProvisioningException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Scheduler;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.job.JobRunner;
import io.geneva.internal.job.Worker;
import io.geneva.internal.job.WorkerLostException;
import io.geneva.internal.job.WorkerReplacer;
import io.geneva.internal.worker.Bootstrapper;
import io.geneva.internal.worker.Protocol;
import io.geneva.internal.worker.StateFile;
import io.geneva.internal.worker.WorkerMain;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.ProvisionContext;
import io.geneva.spi.StorageProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster: worker JVMs on this machine, described by files in {@code
 * <home>/clusters/local/<name>/}: {@code token} (the secret every connection presents, owner-only),
 * {@code cluster.lock} (held while workers are started or stopped), and one directory per launch,
 * {@code launch-<digest>/}, named by the digest of how its workers were launched, holding one {@code
 * worker-<i>.properties} per worker (pid, process start, port), its log, and {@code users/}, where
 * each session using those workers holds a locked file.
 *
 * <p>A session whose launch digest matches a running launch shares its workers (each runs one task
 * at a time, from whichever session). A session with another digest gets workers of its own, and
 * stops the workers of other launches only when no live session uses them. A {@code DELETE} session
 * stops its workers on close only if it is their last live user. Workers that died are replaced
 * before each warmup and job, when lost during a warmup, and when lost during a job.
 *
 * <p>Thread-safe.
 */
final class LocalWorkers implements Cluster, WorkerReplacer {
  private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);
  private static final Duration START_POLL = Duration.ofMillis(5);
  private static final Map<Path, Object> IN_JVM_LOCKS = new ConcurrentHashMap<>();

  private final LocalCluster spec;
  private final Path directory;
  private final Path launchDirectory;
  private final String token;
  private final Launch launch;
  private final WarmLaunch warm;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ClusterUsers.Registration registration;
  private final WorkerClient[] workers;
  private int reused;
  private String replacedBecause = "";
  private boolean runtimeTrainerStarted;
  private boolean closed;

  private LocalWorkers(
      LocalCluster spec, ProvisionContext context, Path directory, String token, Launch launch,
      WarmLaunch warm, Sleeper sleeper, ClusterUsers.Registration registration) {
    this.warm = warm;
    this.spec = spec;
    this.directory = directory;
    this.launchDirectory = directory.resolve("launch-" + launch.digest().substring(0, 16));
    this.token = token;
    this.launch = launch;
    this.clock = context.clock();
    this.sleeper = sleeper;
    this.registration = registration;
    this.workers = new WorkerClient[spec.workerCount()];
  }

  /**
   * How workers of this cluster are started, and the digest that decides reuse; the runtime class
   * data's options (for every worker, and for the first one when it trains) are not in the digest:
   * they change how fast a worker starts, not what it does, so retained workers stay in use whatever
   * became of the archive.
   */
  private record Launch(List<String> command, Map<String, String> environment, String digest,
      ClassDataCache.Plan runtimeClassData) {}

  /**
   * How warm-start workers differ from generic ones: the manifest's jars after Geneva's runtime on the
   * class path, options for every worker JVM, and options for the first worker only (training class
   * data). {@link #NONE} for generic workers.
   */
  record WarmLaunch(List<String> classPath, List<String> jvmOptions, List<String> trainerOptions) {
    static final WarmLaunch NONE = new WarmLaunch(List.of(), List.of(), List.of());

    WarmLaunch {
      classPath = List.copyOf(classPath);
      jvmOptions = List.copyOf(jvmOptions);
      trainerOptions = List.copyOf(trainerOptions);
    }
  }

  static LocalWorkers provision(LocalCluster spec, ProvisionContext context) {
    return provision(spec, context, Sleeper.SYSTEM);
  }

  static LocalWorkers provision(LocalCluster spec, ProvisionContext context, Sleeper sleeper) {
    return provision(spec, context, WarmLaunch.NONE, sleeper);
  }

  static LocalWorkers provision(LocalCluster spec, ProvisionContext context, WarmLaunch warm, Sleeper sleeper) {
    Path directory = context.home().resolve("clusters").resolve("local").resolve(spec.name());
    try {
      ClusterUsers.createPrivateDirectory(directory);
      return withClusterLock(directory, () -> provisionLocked(spec, context, directory, warm, sleeper));
    } catch (IOException e) {
      throw new ProvisioningException("cannot set up local cluster \"" + spec.name() + "\" in " + directory
          + ": " + e + "; check that the Geneva home is writable", e);
    }
  }

  /** An action on the cluster's files. */
  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /** Runs holding the cluster's lock: this JVM's, then the file lock that other processes honor. */
  private static <T> T withClusterLock(Path directory, IoAction<T> action) throws IOException {
    synchronized (IN_JVM_LOCKS.computeIfAbsent(directory.toAbsolutePath(), d -> new Object())) {
      try (FileChannel channel = FileChannel.open(directory.resolve("cluster.lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return action.run();
      }
    }
  }

  private static LocalWorkers provisionLocked(
      LocalCluster spec, ProvisionContext context, Path directory, WarmLaunch warm, Sleeper sleeper)
      throws IOException {
    String token = token(directory.resolve("token"));
    Launch launch = launch(spec, context, directory, warm,
        warm == WarmLaunch.NONE ? RuntimeClassData.plan(spec, context) : ClassDataCache.Plan.none(""));
    Path launchDirectory = directory.resolve("launch-" + launch.digest().substring(0, 16));
    ClusterUsers.Registration registration = ClusterUsers.register(launchDirectory);
    LocalWorkers cluster = new LocalWorkers(spec, context, directory, token, launch, warm, sleeper, registration);
    try {
      int stopped = cluster.stopUnusedLaunches();
      cluster.replacedBecause = stopped == 0 ? "" : "its launch settings changed";
      if (stopped > 0) {
        log.info("local cluster \"{}\": stopped {} workers of other launch settings that no session uses",
            spec.name(), stopped);
      }
      cluster.reuseRecorded();
      cluster.startMissingLocked();
      Properties state = new Properties();
      state.setProperty("launch", launch.digest());
      state.setProperty("workers", Integer.toString(spec.workerCount()));
      StateFile.write(launchDirectory.resolve("launch.properties"), state, "geneva local cluster launch");
    } catch (IOException | RuntimeException e) {
      registration.close();
      throw e;
    }
    log.info("local cluster \"{}\": {}", spec.name(), cluster.description());
    return cluster;
  }

  /**
   * Stops the workers of every other launch that no live session uses (and workers recorded by an
   * older Geneva directly in the cluster directory); leaves those in use running.
   */
  private int stopUnusedLaunches() throws IOException {
    int stopped = 0;
    List<Path> others;
    try (Stream<Path> files = Files.list(directory)) {
      others = files.filter(f -> f.getFileName().toString().startsWith("launch-") && Files.isDirectory(f))
          .filter(f -> !f.equals(launchDirectory)).sorted().toList();
    }
    for (Path other : others) {
      int users = ClusterUsers.liveUsers(other, null);
      if (users > 0) {
        log.info("local cluster \"{}\": leaving the workers of {} running: {} live session(s) use them",
            spec.name(), other.getFileName(), users);
        continue;
      }
      stopped += stopRecorded(other);
      deleteTree(other);
    }
    return stopped + stopRecorded(directory);
  }

  /** Stops every worker recorded in a directory, deleting their state files; returns how many ran. */
  private int stopRecorded(Path dir) throws IOException {
    int stopped = 0;
    for (Path file : workerStateFiles(dir)) {
      if (stop(StateFile.read(file), token)) {
        stopped++;
      }
      Files.deleteIfExists(file);
    }
    return stopped;
  }

  /** Connects to the live workers recorded for this launch; forgets the dead ones. */
  private void reuseRecorded() throws IOException {
    for (Path file : workerStateFiles(launchDirectory)) {
      int index = index(file);
      Optional<WorkerClient> client = index >= 0 && index < workers.length
          ? connect(StateFile.read(file), token, logFile(index)) : Optional.empty();
      if (client.isPresent()) {
        workers[index] = client.get();
        reused++;
      } else {
        Files.deleteIfExists(file);
      }
    }
  }

  @Override
  public synchronized String description() {
    return "local \"" + spec.name() + "\": " + workers.length + " workers (" + reused + " reused"
        + (replacedBecause.isEmpty() ? "" : ", replaced because " + replacedBecause) + ")";
  }

  /**
   * Bootstraps every worker. A worker lost meanwhile (killed, crashed) is replaced once and the
   * replacement bootstrapped, its report naming the lost one; the warmup fails only if a bootstrap
   * fails for another reason, or if no worker at all could be made ready.
   */
  @Override
  public List<WorkerReport> warmup(URI manifestUri) {
    List<WorkerClient> live = liveWorkers();
    List<CompletableFuture<Optional<WorkerReport>>> reports = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      reports.add(bootstrapOrReplace(i, live.get(i), manifestUri));
    }
    List<WorkerReport> done = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      try {
        reports.get(i).join().ifPresent(done::add);
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        throw new ProvisioningException("worker " + live.get(i).name() + " could not bootstrap manifest "
            + manifestUri + ": " + (cause instanceof GenevaException ? cause.getMessage() : cause), cause);
      }
    }
    if (done.isEmpty()) {
      throw new ProvisioningException("no worker of local cluster \"" + spec.name() + "\" could bootstrap manifest "
          + manifestUri + ": every worker and its replacement was lost; see the worker logs in " + launchDirectory);
    }
    return done;
  }

  /** Bootstraps one worker; if it is lost meanwhile, bootstraps a replacement instead, once. */
  private CompletableFuture<Optional<WorkerReport>> bootstrapOrReplace(int slot, WorkerClient worker, URI manifestUri) {
    return worker.bootstrap(manifestUri).thenApply(Optional::of).exceptionallyCompose(error -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof WorkerLostException)) {
        return CompletableFuture.failedFuture(cause);
      }
      log.warn("local cluster \"{}\": {} during the warmup; starting a replacement", spec.name(), cause.getMessage());
      return replaceAsync(slot, worker).thenCompose(replacement -> replacement
          .map(r -> r.bootstrap(manifestUri).thenApply(report -> Optional.of(report.replacing(cause.getMessage()))))
          .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())))
          .exceptionally(second -> {
            log.warn("local cluster \"{}\": the replacement of {} could not bootstrap either: {}", spec.name(),
                worker.name(), second.toString());
            return Optional.empty();
          });
    });
  }

  @Override
  public CompletableFuture<List<PartitionOutcome>> run(JobRequest request, JobObserver observer) {
    if (request.resources().gpus() > 0) {
      return CompletableFuture.failedFuture(new io.geneva.JobException("job " + request.jobId() + " asks "
          + request.resources().describe() + " per task, but the local cluster \"" + spec.name() + "\" has no GPUs;"
          + " run it on a KubeRay cluster with a GPU worker group, or drop the GPUs from the job's resources", null));
    }
    return JobRunner.run(request, liveWorkers(), observer, Scheduler.system(), this);
  }

  /** Replaces a worker a job lost (it died, or was stopped after a task timeout), in the background. */
  @Override
  public CompletableFuture<Optional<Worker>> replace(Worker lost) {
    for (int i = 0; i < workers.length; i++) {
      if (lost instanceof WorkerClient client && client.name().equals(workerName(i))) {
        return replaceAsync(i, client).thenApply(w -> w.map(Worker.class::cast));
      }
    }
    return CompletableFuture.completedFuture(Optional.empty());
  }

  private CompletableFuture<Optional<WorkerClient>> replaceAsync(int slot, WorkerClient lost) {
    CompletableFuture<Optional<WorkerClient>> replacement = new CompletableFuture<>();
    ThreadFactories.startDaemon("geneva-replace-" + workerName(slot), () -> {
      try {
        replacement.complete(replaceSlot(slot, lost));
      } catch (Throwable e) {
        replacement.completeExceptionally(e);
      }
    });
    return replacement;
  }

  /** A live worker in place of lost: one another thread or session started meanwhile, or a new one. */
  private synchronized Optional<WorkerClient> replaceSlot(int slot, WorkerClient lost) {
    if (closed) {
      return Optional.empty();
    }
    lost.close();
    if (workers[slot] != lost && workers[slot] != null && workers[slot].alive()) {
      return Optional.of(workers[slot]); // replaced meanwhile, by a warmup or another job
    }
    // The lost worker stays in its slot until replaced, so that its recorded pid is not mistaken for
    // a worker another session started: a killed process may still be listening for a moment.
    startMissing();
    return Optional.ofNullable(workers[slot]);
  }

  /** The workers, after replacing any that died. */
  private synchronized List<WorkerClient> liveWorkers() {
    if (closed) {
      throw new IllegalStateException("the local cluster \"" + spec.name() + "\" was closed");
    }
    startMissing();
    return List.of(workers);
  }

  /** Starts a worker for every slot without a live one, holding the cluster's lock. */
  private synchronized void startMissing() {
    boolean complete = true;
    for (WorkerClient w : workers) {
      complete &= w != null && w.alive();
    }
    if (complete) {
      return;
    }
    try {
      withClusterLock(directory, () -> {
        startMissingLocked();
        return null;
      });
    } catch (IOException e) {
      throw new ProvisioningException("cannot lock local cluster \"" + spec.name() + "\" in " + directory + ": " + e
          + "; check that the Geneva home is writable", e);
    }
  }

  /**
   * For every slot without a live worker: connects to the worker another session of this launch
   * started meanwhile, or starts one; all new JVMs start at once.
   */
  private void startMissingLocked() {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      if (workers[i] != null && workers[i].alive()) {
        continue;
      }
      WorkerClient dead = workers[i];
      workers[i] = null;
      Properties recorded = StateFile.read(stateFile(launchDirectory, i));
      boolean other = dead == null || !Long.toString(dead.pid()).equals(recorded.getProperty("pid"));
      Optional<WorkerClient> shared = other ? connect(recorded, token, logFile(i)) : Optional.empty();
      if (shared.isPresent()) {
        workers[i] = shared.get();
        continue;
      }
      if (dead != null) {
        log.info("local cluster \"{}\": replacing lost worker {}", spec.name(), dead.name());
        dead.close();
      }
      missing.add(i);
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
    Path state = stateFile(launchDirectory, index);
    try {
      Files.deleteIfExists(state);
      List<String> command = new ArrayList<>(launch.command());
      List<String> options = new ArrayList<>(launch.runtimeClassData().jvmOptions());
      String line = launch.runtimeClassData().line();
      // Only the launch's first worker trains: a replacement must not write the same archive again.
      if (index == 0 && !runtimeTrainerStarted && !launch.runtimeClassData().trainerOptions().isEmpty()) {
        options.addAll(launch.runtimeClassData().trainerOptions());
        runtimeTrainerStarted = true;
      } else if (!launch.runtimeClassData().trainerOptions().isEmpty()) {
        line = line.replace("; the first worker trains it", "; " + workerName(0) + " trains it");
      }
      if (!line.isEmpty()) {
        options.add("-D" + Bootstrapper.RUNTIME_CLASS_DATA + "=" + line);
      }
      if (index == 0) {
        options.addAll(warm.trainerOptions());
      }
      command.addAll(1, options);
      command.addAll(List.of("--name", workerName(index), "--state", state.toString()));
      // One log per worker process: what a lost worker's log says is about that worker.
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(logFile(index).toFile()));
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

  private Path logFile(int index) {
    return launchDirectory.resolve("worker-" + index + ".log");
  }

  /** What the storage providers of this JVM say a worker needs to reach the same storage. */
  static Map<String, String> storageEnvironment() {
    Map<String, String> environment = new TreeMap<>();
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class, LocalWorkers.class.getClassLoader())) {
      environment.putAll(p.workerEnvironment());
    }
    return environment;
  }

  /** Waits for a started worker's state file, polling at {@link #START_POLL} by the injected clock. */
  private WorkerClient awaitStarted(int index, Process process) {
    Path state = stateFile(launchDirectory, index);
    Instant deadline = clock.instant().plus(spec.startTimeout());
    while (true) {
      if (Files.exists(state)) {
        Properties p = StateFile.read(state);
        try {
          return WorkerClient.connect(workerName(index), Integer.parseInt(p.getProperty("port")), token,
              CONNECT_TIMEOUT, logFile(index));
        } catch (IOException | RuntimeException e) {
          process.destroyForcibly();
          throw new ProvisioningException("worker " + workerName(index) + " started but cannot be reached: " + e, e);
        }
      }
      if (!process.isAlive()) {
        throw new ProvisioningException("worker " + workerName(index) + " could not start: its JVM exited with status "
            + process.exitValue() + ". " + tail(logFile(index))
            + "; check the cluster's JVM options and java executable");
      }
      if (clock.instant().isAfter(deadline)) {
        process.destroyForcibly();
        throw new ProvisioningException("worker " + workerName(index) + " did not start within " + spec.startTimeout()
            + ". " + tail(logFile(index)) + "; raise LocalCluster.startTimeout on a slow machine");
      }
      try {
        sleeper.sleep(START_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new ProvisioningException("interrupted while worker " + workerName(index) + " started", e);
      }
    }
  }

  /**
   * Applies the exit policy. Workers that another live session uses (same launch) are left running
   * whatever the policy: the last session to close applies its own.
   */
  @Override
  public synchronized void close(boolean sessionFailed) {
    // Like every path that takes both, this monitor first, then the cluster lock.
    if (closed) {
      return;
    }
    closed = true;
    ExitPolicy policy = spec.exitPolicy();
    boolean retain = policy == ExitPolicy.RETAIN || (policy == ExitPolicy.RETAIN_ON_FAILURE && sessionFailed);
    try {
      withClusterLock(directory, () -> {
        registration.close();
        int others = ClusterUsers.liveUsers(launchDirectory, null);
        boolean stop = !retain && others == 0;
        closeWorkers(stop);
        log.info("local cluster \"{}\": {}", spec.name(), stop ? "stopped"
            : retain ? "retained" : "left running for " + others + " other live session(s)");
        return null;
      });
    } catch (IOException e) {
      log.warn("local cluster \"{}\": cannot take its lock to close ({}); leaving its workers to their idle"
          + " timeout", spec.name(), e.toString());
      closeWorkers(false);
    }
  }

  private void closeWorkers(boolean stop) {
    // Every worker is told first and then awaited, so they exit together rather than one after another.
    for (WorkerClient w : workers) {
      if (w != null) {
        if (stop) {
          w.shutdown();
        } else {
          w.close();
        }
      }
    }
    if (!stop) {
      return;
    }
    boolean training = !warm.trainerOptions().isEmpty() || !launch.runtimeClassData().trainerOptions().isEmpty();
    for (int i = 0; i < workers.length; i++) {
      WorkerClient w = workers[i];
      if (w == null) {
        continue;
      }
      // A worker training class data writes it as it exits: give it time (JDK 17 writes the archive itself).
      int seconds = i == 0 && training ? 120 : 5;
      ProcessHandle.of(w.pid()).ifPresent(h -> WorkerRecords.awaitOrKill(h, seconds));
      try {
        Files.deleteIfExists(stateFile(launchDirectory, i));
      } catch (IOException e) {
        // A stale state file is recognized by its dead pid.
      }
    }
  }

  // ---- launch settings and state files

  private static Launch launch(LocalCluster spec, ProvisionContext context, Path directory, WarmLaunch warm,
      ClassDataCache.Plan runtimeClassData) {
    Path java = spec.javaExecutable().orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    Path cache = spec.cacheDirectory().orElse(context.home().resolve("cache")).toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // A worker out of memory exits at once, and its log says why, rather than lingering half-alive.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(spec.jvmOptions());
    command.addAll(context.jvmOptions());
    command.addAll(warm.jvmOptions());
    List<String> classPath = new ArrayList<>(List.of(WorkerJvmClasspath.get()));
    classPath.addAll(warm.classPath());
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), WorkerMain.class.getName(),
        "--token", directory.resolve("token").toString(),
        "--cache", cache.toString(),
        "--cache-max-bytes", Long.toString(spec.cacheMaxBytes()),
        "--idle-timeout-millis", Long.toString(spec.idleTimeout().toMillis())));
    if (spec.exitPolicy() == ExitPolicy.DELETE) {
      command.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
    }
    Map<String, String> environment = new TreeMap<>(context.environment());
    String digest = Sha256.of("protocol " + Protocol.VERSION + "\n" + String.join("\n", command) + "\n"
        + environment + "\nworkers " + spec.workerCount() + "\nstart " + spec.startTimeout()
        + (warm.trainerOptions().isEmpty() ? "" : "\ntrainer " + warm.trainerOptions()));
    return new Launch(List.copyOf(command), environment, digest, runtimeClassData);
  }

  @Override
  public String toString() {
    return description();
  }
}
