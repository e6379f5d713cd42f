package io.geneva;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster of worker JVM processes on this machine: the embedded default, and what every other
 * cluster is measured against.
 *
 * <pre>{@code
 * Geneva.connect().cluster(LocalCluster.workers(3).exitPolicy(ExitPolicy.RETAIN)).open()
 * }</pre>
 *
 * <p>Workers start with Geneva's runtime only and get the application's classpath from the
 * session's manifest, through a package cache shared by every worker of this machine. Immutable and
 * thread-safe: every {@code with}-style method returns a new spec.
 */
public final class LocalCluster implements ClusterSpec {
  /** The provisioner type of local clusters. */
  public static final String TYPE = "local";

  private final String name;
  private final int workers;
  private final ExitPolicy exitPolicy;
  private final List<String> jvmOptions;
  private final Optional<Path> javaExecutable;
  private final Optional<Path> cacheDirectory;
  private final long cacheMaxBytes;
  private final Duration idleTimeout;
  private final Duration startTimeout;
  private final WarmStart warmStart;

  private LocalCluster(
      String name,
      int workers,
      ExitPolicy exitPolicy,
      List<String> jvmOptions,
      Optional<Path> javaExecutable,
      Optional<Path> cacheDirectory,
      long cacheMaxBytes,
      Duration idleTimeout,
      Duration startTimeout,
      WarmStart warmStart) {
    this.name = name;
    this.workers = workers;
    this.exitPolicy = exitPolicy;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.javaExecutable = javaExecutable;
    this.cacheDirectory = cacheDirectory;
    this.cacheMaxBytes = cacheMaxBytes;
    this.idleTimeout = idleTimeout;
    this.startTimeout = startTimeout;
    this.warmStart = warmStart;
  }

  /** A local cluster with one worker per processor, deleted when the session closes. */
  public static LocalCluster defaults() {
    return workers(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A local cluster of {@code count} workers, named {@code default}, deleted when the session closes.
   *
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public static LocalCluster workers(int count) {
    checkWorkers(count);
    return new LocalCluster(
        "default", count, ExitPolicy.DELETE, List.of(), Optional.empty(), Optional.empty(),
        10L << 30, Duration.ofMinutes(30), Duration.ofSeconds(60), WarmStart.OFF);
  }

  private static void checkWorkers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a local cluster needs at least 1 worker, not " + count);
    }
  }

  /** This spec with another name: clusters of different names never share workers. */
  public LocalCluster name(String newName) {
    Objects.requireNonNull(newName, "name");
    if (!newName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "cluster name \"" + newName + "\" must be 1-63 letters, digits, '.', '_' or '-', starting"
              + " with a letter or digit");
    }
    return new LocalCluster(newName, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with another number of workers. */
  public LocalCluster workerCount(int count) {
    checkWorkers(count);
    return new LocalCluster(name, count, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with another exit policy (default {@link ExitPolicy#DELETE}). */
  public LocalCluster exitPolicy(ExitPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return new LocalCluster(name, workers, policy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with JVM options for the workers, such as {@code -Xmx2g}, before the session's own. */
  public LocalCluster jvmOptions(List<String> options) {
    return new LocalCluster(name, workers, exitPolicy, new ArrayList<>(options), javaExecutable,
        cacheDirectory, cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with another {@code java} for the workers (default: the one running this JVM). */
  public LocalCluster javaExecutable(Path java) {
    Objects.requireNonNull(java, "java");
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, Optional.of(java), cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with another node cache directory (default {@code <home>/cache}). */
  public LocalCluster cacheDirectory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, javaExecutable,
        Optional.of(directory), cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  /** This spec with another bound on the node cache's size (default 10 GiB). */
  public LocalCluster cacheMaxBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("cacheMaxBytes must be positive, not " + bytes);
    }
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        bytes, idleTimeout, startTimeout, warmStart);
  }

  /** How long a retained worker waits unused before it exits (default 30 minutes). */
  public LocalCluster idleTimeout(Duration timeout) {
    requirePositive(timeout, "idleTimeout");
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, timeout, startTimeout, warmStart);
  }

  /** How long a worker JVM may take to start and report its port (default 60 seconds). */
  public LocalCluster startTimeout(Duration timeout) {
    requirePositive(timeout, "startTimeout");
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, timeout, warmStart);
  }

  /**
   * This spec with another warm-start setting (default {@link WarmStart#OFF}: warm workers serve one
   * manifest each, and training a class-data cache costs the first session's workers a longer exit).
   */
  public LocalCluster warmStart(WarmStart setting) {
    Objects.requireNonNull(setting, "setting");
    return new LocalCluster(name, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, setting);
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExitPolicy exitPolicy() {
    return exitPolicy;
  }

  /** The number of workers. */
  public int workerCount() {
    return workers;
  }

  /** JVM options for the workers. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** The {@code java} for the workers, if not the one running this JVM. */
  public Optional<Path> javaExecutable() {
    return javaExecutable;
  }

  /** The node cache directory, if not {@code <home>/cache}. */
  public Optional<Path> cacheDirectory() {
    return cacheDirectory;
  }

  /** The bound on the node cache's size. */
  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  /** How long a retained worker waits unused before it exits. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How long a worker JVM may take to start. */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** How worker JVMs start for a manifest. */
  public WarmStart warmStart() {
    return warmStart;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalCluster other
        && name.equals(other.name)
        && workers == other.workers
        && exitPolicy == other.exitPolicy
        && jvmOptions.equals(other.jvmOptions)
        && javaExecutable.equals(other.javaExecutable)
        && cacheDirectory.equals(other.cacheDirectory)
        && cacheMaxBytes == other.cacheMaxBytes
        && idleTimeout.equals(other.idleTimeout)
        && startTimeout.equals(other.startTimeout)
        && warmStart == other.warmStart;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, workers, exitPolicy, jvmOptions, javaExecutable, cacheDirectory,
        cacheMaxBytes, idleTimeout, startTimeout, warmStart);
  }

  @Override
  public String toString() {
    return "LocalCluster[" + name + ", " + workers + " workers, " + exitPolicy + (warmStart == WarmStart.OFF ? "" : ", warm start " + warmStart) + "]";
  }
}
