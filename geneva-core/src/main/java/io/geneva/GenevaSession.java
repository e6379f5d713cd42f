package io.geneva;

import io.geneva.internal.session.OpenSession;
import io.geneva.internal.session.SessionConfig;
import io.geneva.internal.util.SetOnce;
import io.geneva.spi.Storage;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open Geneva session: the classpath has been scanned, fingerprinted, packed and published, and
 * the {@link #manifest()} that describes it is in storage.
 *
 * <p>Thread-safe. {@link #close()} releases what the session created (a storage it opened from a
 * URI; never a storage passed to {@link Builder#storage(Storage)}); it is idempotent and throws
 * nothing checked.
 */
public interface GenevaSession extends AutoCloseable {

  /** The manifest this session published. */
  Manifest manifest();

  /** The manifest's SHA-256 (hex), which names it in storage. */
  String manifestDigest();

  /** Where the manifest is stored. */
  URI manifestUri();

  /** What opening the session did and cost. */
  StartupReport startupReport();

  /**
   * Makes every worker of the session's cluster fetch the manifest's packages now, provisioning the
   * cluster first if that has not happened yet, so the first task does not wait for a download. On
   * a local cluster, a worker lost meanwhile is replaced and the replacement bootstrapped; its report
   * names the lost worker ({@link WorkerReport#replaced()}).
   *
   * @return what each worker did
   * @throws ProvisioningException if the cluster cannot start, a worker cannot bootstrap for a reason
   *     other than being lost, or no worker at all could be made ready
   */
  List<WorkerReport> warmup();

  /**
   * Submits a job to the session's cluster (provisioning it first if needed).
   *
   * @return the handle; its {@link JobHandle#result()} completes when every partition committed
   * @throws ProvisioningException if the cluster cannot start
   */
  <R> JobHandle<R> submit(Job<R> job);

  /**
   * Releases what the session created: the cluster by its exit policy, and a storage it opened from
   * a URI. Idempotent.
   */
  @Override
  void close();

  /**
   * Configures and opens a session; get one from {@link Geneva#connect()}.
   *
   * <p>Each option may be set once: a second call throws {@link IllegalStateException} naming the
   * earlier value. Checks that span options wait for {@link #open()}, which does not change the
   * builder, so one builder can open several sessions. Not thread-safe.
   */
  final class Builder {
    private final SetOnce set = new SetOnce();
    private final URI storageRoot;
    private Storage storage;
    private List<String> classpath;
    private List<String> excludes = List.of();
    private boolean defaultExcludes = true;
    private Path home;
    private Path projectDirectory;
    private ProgressListener listener = ProgressListener.NONE;
    private boolean skipMissingEntries;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private Clock clock = Clock.systemUTC();
    private Duration storageRecheckAfter = Duration.ofHours(1);
    private boolean verifyStorage;
    private boolean dependenciesInImage;
    private List<ClasspathProfile> classpathProfiles;
    private List<String> jvmOptions = List.of();
    private Map<String, String> environment = Map.of();
    private ClusterSpec cluster;

    Builder(URI storageRoot) {
      this.storageRoot = storageRoot;
    }

    /**
     * Uses this storage instead of creating one from the root URI. The session does not close it:
     * whoever created it does.
     */
    public Builder storage(Storage storage) {
      set.set("storage", storage);
      this.storage = storage;
      return this;
    }

    /**
     * The classpath to ship, as the JVM reads {@code -cp}: entries separated by {@link
     * File#pathSeparator}, and {@code dir/*} meaning every jar in {@code dir}. Default: this JVM's
     * {@code java.class.path}.
     */
    public Builder classpath(String classpath) {
      set.set("classpath", classpath);
      this.classpath = List.of(classpath.split(java.util.regex.Pattern.quote(File.pathSeparator), -1));
      return this;
    }

    /** The classpath to ship, one entry per element; {@code dir/*} entries are expanded. */
    public Builder classpath(List<Path> entries) {
      set.set("classpath", entries);
      List<String> copy = new ArrayList<>();
      entries.forEach(p -> copy.add(p.toString()));
      this.classpath = List.copyOf(copy);
      return this;
    }

    /**
     * Gitignore-style patterns, relative to each classpath directory, for files not to ship. They
     * add to the defaults ({@code .git/}, IDE and build-cache directories) unless {@link
     * #defaultExcludes(boolean)} turns those off.
     */
    public Builder excludes(Collection<String> patterns) {
      set.set("excludes", patterns);
      this.excludes = List.copyOf(patterns);
      return this;
    }

    /** Whether the default excludes apply (default true). */
    public Builder defaultExcludes(boolean enabled) {
      set.set("defaultExcludes", enabled);
      this.defaultExcludes = enabled;
      return this;
    }

    /**
     * Geneva's home, which holds the fingerprint index and the record of stored objects. Default:
     * {@code GENEVA_HOME}, or {@code ~/.geneva}.
     */
    public Builder home(Path home) {
      set.set("home", home);
      this.home = home;
      return this;
    }

    /**
     * The project directory: classpath directories under it are {@link EntryKind#WORKSPACE}. Default:
     * the working directory.
     */
    public Builder projectDirectory(Path directory) {
      set.set("projectDirectory", directory);
      this.projectDirectory = directory;
      return this;
    }

    /** Receives progress events while the session opens. */
    public Builder progressListener(ProgressListener listener) {
      set.set("progressListener", listener);
      this.listener = listener;
      return this;
    }

    /**
     * Whether a classpath entry that does not exist is skipped with a warning in the report instead
     * of failing the session (default false: fail, naming the entry).
     */
    public Builder skipMissingEntries(boolean skip) {
      set.set("skipMissingEntries", skip);
      this.skipMissingEntries = skip;
      return this;
    }

    /** How many threads hash and pack (default: the number of processors). */
    public Builder parallelism(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, not " + threads);
      }
      set.set("parallelism", threads);
      this.parallelism = threads;
      return this;
    }

    /** The clock for timestamps and durations (tests inject one). */
    public Builder clock(Clock clock) {
      set.set("clock", clock);
      this.clock = clock;
      return this;
    }

    /**
     * How long Geneva's local record that storage holds an object spares the check before uploading
     * (default one hour). Whatever the record says, every publish confirms with one batched check,
     * after writing the manifest, that storage holds every package, and uploads again what is gone.
     */
    public Builder storageRecheckAfter(Duration age) {
      if (age.isNegative()) {
        throw new IllegalArgumentException("storageRecheckAfter is negative: " + age);
      }
      set.set("storageRecheckAfter", age);
      this.storageRecheckAfter = age;
      return this;
    }

    /**
     * Whether to read back every stored package this session uses and check its digest, replacing
     * a corrupt one (default false: existence and size are checked, content is verified by workers
     * when they fetch it).
     */
    public Builder verifyStorage(boolean verify) {
      set.set("verifyStorage", verify);
      this.verifyStorage = verify;
      return this;
    }

    /**
     * Whether the workers' image already holds the classpath's dependency jars (default false). The
     * manifest then records each {@link EntryKind#DEPENDENCY} jar as provided (its file name and
     * SHA-256) and does not upload it; a worker finds it by digest in the image's library directory
     * ({@link ImageLibrary}: {@value ImageLibrary#ENV} in its environment, default {@value
     * ImageLibrary#DEFAULT_DIRECTORY}), and fails before any task runs, listing
     * every jar that is missing or different, if the image lacks one. {@code geneva image-deps}
     * prints what an image needs.
     */
    public Builder dependenciesInImage(boolean provided) {
      set.set("dependenciesInImage", provided);
      this.dependenciesInImage = provided;
      return this;
    }

    /**
     * The frameworks this program runs inside whose jars the cluster image provides (see {@link
     * ClasspathProfile}); an empty list for none. By default, on a cluster built from an image
     * (KubeRay), they are detected from the classpath: a Spark driver gets {@link
     * ClasspathProfile#SPARK}, a Flink job client {@link ClasspathProfile#FLINK}. A local cluster's
     * workers have no image, so there none is detected.
     */
    public Builder classpathProfiles(List<ClasspathProfile> profiles) {
      set.set("classpathProfiles", profiles);
      this.classpathProfiles = List.copyOf(profiles);
      return this;
    }

    /** Extra JVM options for workers, recorded in the manifest. */
    public Builder jvmOptions(List<String> options) {
      set.set("jvmOptions", options);
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /** Extra environment variables for workers, recorded in the manifest. */
    public Builder environment(Map<String, String> variables) {
      set.set("environment", variables);
      this.environment = Map.copyOf(variables);
      return this;
    }

    /**
     * The cluster the session's jobs run on. Provisioning starts in the background as soon as the
     * session is open. Default: {@link LocalCluster#defaults()}, provisioned only when the session
     * first needs it ({@link GenevaSession#warmup()} or {@link GenevaSession#submit(Job)}).
     */
    public Builder cluster(ClusterSpec spec) {
      set.set("cluster", spec);
      this.cluster = spec;
      return this;
    }

    /**
     * Scans, fingerprints, packs and publishes the classpath, and returns the open session.
     *
     * @throws ConfigurationException if the options do not work together or name something unusable
     * @throws PackagingException if the classpath cannot be packaged
     * @throws StorageException if storage fails
     */
    public GenevaSession open() {
      return OpenSession.open(toConfig());
    }

    SessionConfig toConfig() {
      Path resolvedHome = home != null ? home : defaultHome();
      List<String> resolvedClasspath =
          classpath != null
              ? classpath
              : List.of(
                  System.getProperty("java.class.path", "")
                      .split(java.util.regex.Pattern.quote(File.pathSeparator), -1));
      return new SessionConfig(
          Optional.ofNullable(storageRoot),
          Optional.ofNullable(storage),
          resolvedClasspath,
          classpath == null ? "java.class.path" : "the classpath option",
          excludes,
          defaultExcludes,
          resolvedHome.toAbsolutePath().normalize(),
          (projectDirectory != null ? projectDirectory : Path.of(System.getProperty("user.dir")))
              .toAbsolutePath()
              .normalize(),
          listener,
          skipMissingEntries,
          parallelism,
          clock,
          storageRecheckAfter,
          verifyStorage,
          jvmOptions,
          environment,
          io.geneva.internal.io.FileOpener.DEFAULT,
          Optional.ofNullable(cluster),
          dependenciesInImage,
          Optional.ofNullable(classpathProfiles));
    }

    /** {@code GENEVA_HOME}, or {@code ~/.geneva}. */
    public static Path defaultHome() {
      String env = System.getenv("GENEVA_HOME");
      if (env != null && !env.isBlank()) {
        return Path.of(env);
      }
      return Path.of(System.getProperty("user.home"), ".geneva");
    }
  }
}
