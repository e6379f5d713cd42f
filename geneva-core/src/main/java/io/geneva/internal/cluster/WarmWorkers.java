package io.geneva.internal.cluster;

import io.geneva.LocalCluster;
import io.geneva.ProvisioningException;
import io.geneva.WarmStart;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.Sleeper;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.internal.worker.Bootstrapper;
import io.geneva.internal.worker.NodeCache;
import io.geneva.internal.worker.Prewarm;
import io.geneva.internal.worker.TrainingClaim;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.PartitionOutcome;
import io.geneva.spi.ProvisionContext;
import io.geneva.spi.Storage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster with {@link WarmStart} on: its worker JVMs start when the manifest is known, with
 * the manifest's jars (from the node cache, in manifest order) on their class path, and, for {@link
 * WarmStart#CLASS_DATA_CACHE}, the manifest's class-data cache ({@link ClassDataCache}). The launch
 * digest then covers the manifest, so retained workers are reused by every session with the same
 * manifest and JDK, and replaced when either changes.
 *
 * <p>Thread-safe.
 */
final class WarmWorkers implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(WarmWorkers.class);

  private final LocalCluster spec;
  private final ProvisionContext context;
  private final Sleeper sleeper;
  private @Nullable LocalWorkers workers;
  private @Nullable Path trainingDirectory;
  private boolean closed;

  WarmWorkers(LocalCluster spec, ProvisionContext context, Sleeper sleeper) {
    this.spec = spec;
    this.context = context;
    this.sleeper = sleeper;
    // The workers start once the manifest is read here: warm that reading up while the classpath is packaged.
    Prewarm.start();
  }

  @Override
  public synchronized String description() {
    return workers == null ? "local \"" + spec.name() + "\": " + spec.workerCount() + " warm-start workers, started"
        + " with the first manifest" : workers.description() + ", warm start " + spec.warmStart();
  }

  @Override
  public List<WorkerReport> warmup(URI manifestUri) {
    return workersFor(manifestUri).warmup(manifestUri);
  }

  @Override
  public CompletableFuture<List<PartitionOutcome>> run(JobRequest request, JobObserver observer) {
    return workersFor(request.manifestUri()).run(request, observer);
  }

  /** The workers, started for this manifest if none are yet (a session runs one manifest). */
  private synchronized LocalWorkers workersFor(URI manifestUri) {
    if (closed) {
      throw new IllegalStateException("the local cluster \"" + spec.name() + "\" was closed");
    }
    if (workers == null) {
      workers = LocalWorkers.provision(spec, context, prepare(manifestUri), sleeper);
    }
    return workers;
  }

  private Path java() {
    return spec.javaExecutable().orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  /**
   * Fetches the manifest's jars into the node cache (in this JVM, so their paths are known before the
   * workers start) and decides about class data.
   */
  private LocalWorkers.WarmLaunch prepare(URI manifestUri) {
    ManifestUri parsed = ManifestUri.of(manifestUri);
    Path cacheDirectory = spec.cacheDirectory().orElse(context.home().resolve("cache")).toAbsolutePath();
    NodeCache cache = NodeCache.open(cacheDirectory, spec.cacheMaxBytes(), context.clock());
    List<String> jars = new ArrayList<>();
    try (Bootstrapper bootstrapper = new Bootstrapper(cache, "provisioner", 4)) {
      for (URL u : bootstrapper.bootstrap(manifestUri).getKey().loader().getURLs()) {
        jars.add(Path.of(u.toURI()).toString());
      }
    } catch (URISyntaxException e) {
      throw new ProvisioningException("a package of manifest " + manifestUri + " has no file path: " + e, e);
    }
    List<String> options = new ArrayList<>();
    List<String> trainer = List.of();
    String line = "";
    if (spec.warmStart() == WarmStart.CLASS_DATA_CACHE) {
      Optional<ClassDataCache.Jdk> jdk = ClassDataCache.Jdk.of(java());
      List<String> runtime = List.of(WorkerJvmClasspath.get().split(File.pathSeparator));
      String fingerprint = ClassDataCache.runtimeFingerprint(runtime);
      jdk.ifPresent(j -> assembleLeftovers(ClassDataCache.trainingDirectory(cacheDirectory, j.key(parsed.digest(), fingerprint))));
      List<String> classPath = new ArrayList<>(runtime);
      classPath.addAll(jars);
      ClassDataCache.Plan plan;
      try (Storage storage = StorageSelector.open(parsed.storageRoot())) {
        plan = ClassDataCache.plan(parsed, jdk, cache, storage, classPath, fingerprint,
            new TrainingClaim(context.clock(), TrainingClaim.Processes.SYSTEM));
      }
      options.addAll(plan.jvmOptions());
      trainer = plan.trainerOptions();
      line = plan.line();
      if (!trainer.isEmpty()) {
        trainingDirectory = ClassDataCache.trainingDirectory(cacheDirectory, jdk.orElseThrow().key(parsed.digest(), fingerprint));
      }
      log.info("local cluster \"{}\": {}", spec.name(), line);
    }
    options.add("-D" + Bootstrapper.CLASS_PATH_MANIFEST + "=" + manifestUri);
    options.add("-D" + Bootstrapper.CLASS_DATA + "=" + line);
    return new LocalWorkers.WarmLaunch(jars, options, trainer);
  }

  /** A training that a retained worker finished after its session closed: assembled now, in the background. */
  private void assembleLeftovers(Path dir) {
    if (Files.exists(dir.resolve("train.aotconf")) || Files.exists(dir.resolve("train.jsa"))) {
      startAssembler(dir);
    }
  }

  /** Starts a detached {@link ClassDataAssembler} on a training directory. */
  private void startAssembler(Path dir) {
    List<String> command = List.of(java().toString(), "-cp", WorkerJvmClasspath.get(),
        ClassDataAssembler.class.getName(), dir.toString(), java().toString());
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("assembler.log").toFile()));
      builder.environment().putAll(LocalWorkers.storageEnvironment());
      builder.start().getOutputStream().close();
    } catch (IOException e) {
      log.warn("local cluster \"{}\": cannot start the class-data assembler: {}", spec.name(), e.toString());
    }
  }

  @Override
  public void close(boolean sessionFailed) {
    LocalWorkers w;
    Path training;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = workers;
      training = trainingDirectory;
    }
    if (w == null) {
      return;
    }
    w.close(sessionFailed);
    if (training != null) {
      // The training worker wrote its output as it exited (if it was stopped); a retained one does at its exit.
      assembleLeftovers(training);
    }
  }

  @Override
  public String toString() {
    return description();
  }
}
