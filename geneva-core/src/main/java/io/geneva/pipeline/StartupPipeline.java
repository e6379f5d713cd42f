package io.geneva.pipeline;

import io.geneva.report.IoProblems;
import io.geneva.ConfigurationException;
import io.geneva.ClasspathProfile;
import io.geneva.EntryKind;
import io.geneva.GenevaSession;
import io.geneva.Manifest;
import io.geneva.PackageReport;
import io.geneva.PackagingException;
import io.geneva.ProgressEvent;
import io.geneva.ProgressEvent.Phase;
import io.geneva.ProgressListener;
import io.geneva.StartupReport;
import io.geneva.classpath.ClasspathEntry;
import io.geneva.classpath.ClasspathResolver;
import io.geneva.classpath.ClasspathScanner;
import io.geneva.classpath.ExcludeMatcher;
import io.geneva.classpath.ScannedEntry;
import io.geneva.concurrent.Tasks;
import io.geneva.hash.FingerprintIndex;
import io.geneva.hash.Fingerprinter;
import io.geneva.hash.Sha256;
import io.geneva.manifest.ManifestCodec;
import io.geneva.pack.PackedPackage;
import io.geneva.pack.Packer;
import io.geneva.report.ReportHistory;
import io.geneva.spi.LocalStaging;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.storage.KnownObjects;
import io.geneva.storage.Publisher;
import io.geneva.storage.StorageSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup pipeline — scan, fingerprint, pack, publish, manifest — and builds the {@link
 * StartupReport}. Each stage lives in its own package; this class only sequences them, times them and
 * reports on them.
 */
public final class StartupPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StartupPipeline.class);

  private static final Duration STALE_TMP = Duration.ofDays(1);

  private final SessionConfig config;
  private final Path home;
  private final Storage storage;
  private final ForkJoinPool pool;
  private final long runStartNanos;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> phases = new LinkedHashMap<>();
  /** The packages of framework jars (classpath profiles), by identity. */
  private final Set<PackedPackage> frameworkProvided = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final List<String> advice = new ArrayList<>();
  private Path tmp;
  private Fingerprinter fingerprinter;
  private long files;
  private long bytesScanned;
  private long bytesHashed;
  private long filesHashed;
  private long bytesPacked;

  private StartupPipeline(SessionConfig config, Path home, Storage storage, ForkJoinPool pool) {
    this.config = config;
    this.home = home;
    this.storage = storage;
    this.pool = pool;
    Instant start = config.clock().instant();
    this.runStartNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  /** Opens a session: runs the pipeline and returns the session holding its results. */
  public static GenevaSession open(SessionConfig config) {
    Storage storage = null;
    boolean ownsStorage = config.storage().isEmpty();
    ForkJoinPool pool = new ForkJoinPool(config.parallelism(), daemonThreads(), null, false);
    SessionCluster cluster = null;
    try {
      Path home = prepareHome(config.home());
      cluster = new SessionCluster(config);
      storage = config.storage().orElseGet(() -> StorageSelector.open(config.effectiveStorageRoot()));
      StartupPipeline pipeline = new StartupPipeline(config, home, storage, pool);
      Outcome outcome = pipeline.run();
      return new OpenSession(outcome.manifest(), outcome.report(), storage, ownsStorage, config, cluster);
    } catch (RuntimeException | Error e) {
      if (cluster != null) {
        cluster.close(false);
      }
      if (ownsStorage && storage != null) {
        storage.close();
      }
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  private record Outcome(Manifest manifest, StartupReport report) {}

  /** The scanned classpath, and the fingerprint indexes loading while it was walked. */
  private record Scan(
      List<ClasspathEntry> entries,
      List<ScannedEntry> scanned,
      Future<FingerprintIndex> fileIndex,
      Map<Path, Future<FingerprintIndex>> directoryIndexes) {}

  static Path prepareHome(Path home) {
    try {
      Path tmp = Files.createDirectories(home.resolve("tmp"));
      Path probe = Files.createTempFile(tmp, "probe", ".tmp");
      Files.delete(probe);
      deleteStale(tmp);
      return home;
    } catch (IOException e) {
      throw new ConfigurationException(
          "Geneva home " + home + " cannot be written (" + IoProblems.describe(e)
              + "); set GENEVA_HOME or --home to a writable directory",
          e);
    }
  }

  private Outcome run() {
    long started = System.nanoTime();
    try {
      // Archives (and cold jars) are written where publishing can commit them with a rename.
      Optional<LocalStaging> staging = storage.localStaging();
      tmp = staging.isPresent()
          ? staging.get().newDirectory()
          : Files.createDirectories(home.resolve("tmp").resolve(UUID.randomUUID().toString()));
      fingerprinter =
          new Fingerprinter(
              pool,
              config.opener(),
              progress(Phase.FINGERPRINT),
              // Provided jars are hashed, not copied into the store.
              staging.isPresent() && !config.dependenciesInImage() ? Optional.of(tmp) : Optional.empty());

      Scan scan = scan();
      List<FingerprintIndex> indexes = indexes(scan);
      List<PackedPackage> packages = fingerprintAndPack(scan, indexes);

      long t = begin(Phase.MANIFEST, 1, "manifests");
      Manifest manifest = manifest(packages);
      byte[] manifestBytes = ManifestCodec.encode(manifest);
      ObjectKey manifestKey = ObjectKey.forManifest(Sha256.of(manifestBytes));
      end(Phase.MANIFEST, "manifest", t, 1, "manifests");

      Publisher.Result published = publish(packages.stream().filter(p -> !provided(p)).toList(), manifestKey,
          manifestBytes);
      StartupReport report = report(packages, manifestKey, published, System.nanoTime() - started);
      LOG.info(
          "Geneva published manifest {} ({} packages, {} uploaded) in {} ms",
          report.manifestDigest(), packages.size(), published.uploaded().size(), report.elapsedMillis());
      recordHistory(scan.entries(), report);
      return new Outcome(manifest, report);
    } catch (IOException e) {
      throw new PackagingException("cannot use Geneva home " + home + ": " + IoProblems.describe(e), e);
    } finally {
      if (tmp != null) {
        deleteRecursively(tmp);
      }
    }
  }

  /** 1. Resolves the classpath and walks it; the fingerprint indexes load meanwhile. */
  private Scan scan() {
    long t = begin(Phase.SCAN, -1, "entries");
    List<ClasspathEntry> entries =
        new ClasspathResolver(
                config.projectDirectory(), config.classpathOrigin(), config.skipMissingEntries(), warnings::add)
            .resolve(config.classpath());
    if (entries.isEmpty()) {
      throw new ConfigurationException(
          "the classpath (from " + config.classpathOrigin()
              + ") has no entries that exist; pass the directories and jars to ship");
    }
    List<String> patterns = new ArrayList<>(config.defaultExcludes() ? ExcludeMatcher.defaultPatterns() : List.of());
    patterns.addAll(config.excludes());
    ClasspathScanner scanner = new ClasspathScanner(ExcludeMatcher.of(patterns), warnings::add);
    // The walk is bound by stat calls, which do not spread over cores on every machine, so index
    // files load on the other core meanwhile.
    Path indexDir = home.resolve("index");
    Future<FingerprintIndex> fileIndex =
        pool.submit(() -> FingerprintIndex.load(FingerprintIndex.sharedFileIndex(indexDir), warnings::add));
    Map<Path, Future<FingerprintIndex>> directoryIndexes = new LinkedHashMap<>();
    for (ClasspathEntry e : entries) {
      if (e.directory()) {
        directoryIndexes.put(
            e.path(),
            pool.submit(() -> FingerprintIndex.load(FingerprintIndex.fileFor(indexDir, e.path()), warnings::add)));
      }
    }
    List<ScannedEntry> scanned = scanner.scanAll(entries, pool);
    for (ScannedEntry s : scanned) {
      files += s.files().size();
      bytesScanned += s.totalBytes();
    }
    end(Phase.SCAN, "scan", t, entries.size(), "entries");
    return new Scan(entries, scanned, fileIndex, directoryIndexes);
  }

  /** Each entry's index: its own for a directory, the shared one for a jar. */
  private static List<FingerprintIndex> indexes(Scan scan) {
    Tasks.awaitAll(List.of(scan.fileIndex()), "loading the fingerprint index");
    Tasks.awaitAll(scan.directoryIndexes().values(), "loading the fingerprint index");
    List<FingerprintIndex> indexes = new ArrayList<>(scan.scanned().size());
    for (ScannedEntry s : scan.scanned()) {
      indexes.add(Tasks.done(s.entry().directory() ? scan.directoryIndexes().get(s.entry().path()) : scan.fileIndex()));
    }
    return indexes;
  }

  /**
   * 2 and 3. Finds every file's digest, reading only what the index cannot vouch for, and turns
   * entries into packages, recording what was learned in the indexes.
   *
   * <p>A directory packed for the first time (it has no index) needs no fingerprint pass: its files
   * are hashed as they are packed. So it is packed while the other entries, mostly jars, are hashed
   * on another thread: packing is bound by opening ten thousand small files, which leaves CPU for
   * hashing. The two phases then overlap (the pack phase starts before the fingerprint phase ends),
   * and the report gives each its own wall time. Without such a directory they run in sequence.
   */
  private List<PackedPackage> fingerprintAndPack(Scan scan, List<FingerprintIndex> indexes) throws IOException {
    List<ScannedEntry> scanned = scan.scanned();
    List<Integer> fresh = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < scanned.size(); i++) {
      (scanned.get(i).entry().directory() && !indexes.get(i).existed() ? fresh : rest).add(i);
    }
    long fingerprintStart = begin(Phase.FINGERPRINT, bytesScanned, "bytes");
    ExecutorService hasher = Executors.newSingleThreadExecutor(daemonThread("geneva-fingerprint"));
    try {
      long[] fingerprintEnd = new long[1];
      Future<List<Fingerprinter.Result>> hashing =
          hasher.submit(
              () -> {
                List<Fingerprinter.Result> results =
                    fingerprinter.fingerprint(select(scanned, rest), select(indexes, rest));
                fingerprintEnd[0] = System.nanoTime();
                return results;
              });
      List<Fingerprinter.Result> freshResults =
          fingerprinter.fingerprint(select(scanned, fresh), select(indexes, fresh)); // deferred: no reading
      boolean overlap = !fresh.isEmpty();
      List<Fingerprinter.Result> restResults = overlap ? null : finishFingerprint(hashing, fingerprintStart, fingerprintEnd);

      long packStart = begin(Phase.PACK, -1, "bytes");
      Packer packer = new Packer(pool, config.opener(), tmp, fingerprinter::rehash, progress(Phase.PACK));
      List<List<PackedPackage>> byEntry = new ArrayList<>(Collections.nCopies(scanned.size(), null));
      Map<String, FingerprintIndex.Entry> jarIndexUpdates = new HashMap<>();
      for (int j = 0; j < fresh.size(); j++) {
        int i = fresh.get(j);
        byEntry.set(i, packEntry(packer, freshResults.get(j), indexes.get(i), jarIndexUpdates));
      }
      if (overlap) {
        restResults = finishFingerprint(hashing, fingerprintStart, fingerprintEnd);
      }

      for (int j = 0; j < rest.size(); j++) {
        int i = rest.get(j);
        Fingerprinter.Result r = restResults.get(j);
        FingerprintIndex index = indexes.get(i);
        // Nothing in an unchanged directory changed: last run's packages, without planning or hashing.
        byEntry.set(
            i,
            Packer.canReuse(r, index)
                ? packer.reuse(r, index).packages()
                : packEntry(packer, r, index, jarIndexUpdates));
      }
      if (!jarIndexUpdates.isEmpty()) {
        try {
          Tasks.done(scan.fileIndex()).saveMerged(jarIndexUpdates);
        } catch (IOException e) {
          warnings.add("could not save the fingerprint index of jars (" + e + "); the next start will hash them again");
        }
      }
      end(Phase.PACK, "pack", packStart, System.nanoTime(), bytesPacked, "bytes");
      markFrameworkJars(scanned, byEntry);
      List<PackedPackage> packages = new ArrayList<>();
      byEntry.forEach(packages::addAll);
      return packages;
    } finally {
      // On failure, the hashing thread must stop writing into tmp before tmp is deleted.
      hasher.shutdownNow();
      try {
        hasher.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the fingerprints hashed on the other thread and ends the fingerprint phase. */
  private List<Fingerprinter.Result> finishFingerprint(
      Future<List<Fingerprinter.Result>> hashing, long startedNanos, long[] endedNanos) {
    Tasks.awaitAll(List.of(hashing), "fingerprinting the classpath");
    List<Fingerprinter.Result> results = Tasks.done(hashing);
    for (Fingerprinter.Result r : results) {
      bytesHashed += r.bytesHashed();
      filesHashed += r.filesHashed();
    }
    end(Phase.FINGERPRINT, "fingerprint", startedNanos, endedNanos[0], bytesHashed, "bytes");
    return results;
  }

  private static <T> List<T> select(List<T> all, List<Integer> positions) {
    List<T> out = new ArrayList<>(positions.size());
    positions.forEach(i -> out.add(all.get(i)));
    return out;
  }

  private List<PackedPackage> packEntry(
      Packer packer,
      Fingerprinter.Result r,
      FingerprintIndex index,
      Map<String, FingerprintIndex.Entry> jarIndexUpdates) {
    // Volatility comes from the history as this run will record it; a run that records nothing
    // plans with the flags the index already has, so its plan is the one the index was written with.
    boolean changes = Fingerprinter.changesIndex(r, index);
    Map<String, FingerprintIndex.Entry> next =
        changes ? Fingerprinter.nextEntries(r, index, runStartNanos) : index.entries();
    Packer.PackedEntry packed =
        packer.pack(r, index, path -> next.get(path) != null && next.get(path).volatileFile());
    bytesHashed += packed.bytesHashed();
    filesHashed += packed.filesHashed();
    boolean built = false;
    for (PackedPackage p : packed.packages()) {
      bytesPacked += p.bytesPacked();
      built |= p.bytesPacked() > 0;
    }
    Fingerprinter.Result updated =
        new Fingerprinter.Result(r.entry(), packed.fingerprints(), r.bytesHashed(), r.filesHashed(), r.staged());
    if (!r.entry().entry().directory()) {
      if (Fingerprinter.changesIndex(updated, index)) {
        jarIndexUpdates.putAll(Fingerprinter.nextEntries(updated, index, runStartNanos));
      }
    } else if (built || changes || Fingerprinter.changesIndex(updated, index)) {
      // Packing fills in deferred digests and re-reads files that changed; otherwise the entries
      // computed for planning are the ones to record.
      boolean same = changes && packed.fingerprints() == r.files();
      saveIndex(index, same ? next : Fingerprinter.nextEntries(updated, index, runStartNanos), packed);
    }
    Advice.forEntry(packed, next, advice);
    return packed.packages();
  }

  /** 4. Publishes the packages, then the manifest. */
  private Publisher.Result publish(List<PackedPackage> packages, ObjectKey manifestKey, byte[] manifestBytes) {
    long t = begin(Phase.PUBLISH, packages.size(), "packages");
    KnownObjects known = KnownObjects.load(home.resolve("known"), storage.root(), warnings::add);
    // A local store commits by rename, which is CPU work; a remote one waits on the network, so it
    // gets more uploads in flight than there are cores.
    boolean local = storage.localStaging().isPresent();
    ExecutorService uploads = local ? pool : Executors.newFixedThreadPool(REMOTE_UPLOADS, runnable -> {
      Thread thread = new Thread(runnable, "geneva-upload");
      thread.setDaemon(true);
      return thread;
    });
    Publisher.Result published;
    try {
      published = new Publisher(
              storage,
              known,
              uploads,
              config.clock(),
              Clock.systemUTC(),
              config.storageRecheckAfter(),
              config.verifyStorage(),
              progress(Phase.PUBLISH))
          .publish(packages, manifestKey, manifestBytes);
    } finally {
      if (!local) {
        uploads.shutdownNow();
      }
    }
    end(Phase.PUBLISH, "publish", t, published.bytesUploaded(), "bytes");
    for (ObjectKey k : published.replaced()) {
      warnings.add("storage held a corrupt or truncated " + k + "; it was replaced");
    }
    return published;
  }

  private StartupReport report(
      List<PackedPackage> packages, ObjectKey manifestKey, Publisher.Result published, long elapsedNanos) {
    List<PackageReport> packageReports = new ArrayList<>(packages.size());
    Set<ObjectKey> reused = new HashSet<>();
    for (PackedPackage p : packages) {
      if (provided(p)) {
        packageReports.add(new PackageReport(p.source(), p.kind(), p.sha256(), p.size(), false, PackageReport.PROVIDED));
        continue;
      }
      boolean uploaded = published.uploaded().contains(p.key());
      if (!uploaded) {
        reused.add(p.key());
      }
      String reason = uploaded && p.reason().equals("unchanged") ? "unchanged; storage did not have it" : p.reason();
      packageReports.add(new PackageReport(p.source(), p.kind(), p.sha256(), p.size(), uploaded, reason));
    }
    return new StartupReport(
        manifestKey.digest().orElseThrow(),
        storage.uri(manifestKey).toString(),
        elapsedNanos / 1_000_000,
        phases,
        files,
        filesHashed,
        bytesScanned,
        bytesHashed,
        bytesPacked,
        published.bytesUploaded(),
        published.uploaded().size(),
        reused.size(),
        packageReports,
        advice,
        List.copyOf(warnings));
  }

  private void saveIndex(
      FingerprintIndex index, Map<String, FingerprintIndex.Entry> entries, Packer.PackedEntry packed) {
    try {
      index.save(entries, packed.shards(), packed.plan());
    } catch (IOException e) {
      warnings.add("could not save the fingerprint index for " + packed.entry().path() + " (" + e
          + "); the next start will hash its files again");
    }
  }

  private void recordHistory(List<ClasspathEntry> entries, StartupReport report) {
    List<Path> paths = new ArrayList<>();
    entries.forEach(e -> paths.add(e.path()));
    try {
      new ReportHistory(home).record(ReportHistory.classpathId(storage.root(), paths), config.clock().instant(), report);
    } catch (IOException e) {
      LOG.debug("could not record the startup report in the history", e);
    }
  }

  private Manifest manifest(List<PackedPackage> packages) {
    List<Manifest.Package> classpath = new ArrayList<>(packages.size());
    for (PackedPackage p : packages) {
      classpath.add(new Manifest.Package(p.key().path(), p.sha256(), p.size(), p.kind(),
          provided(p) ? providedName(p) : null));
    }
    return new Manifest(
        Manifest.FORMAT_VERSION,
        classpath,
        currentRuntime(),
        config.jvmOptions(),
        config.environment(),
        config.dependenciesInImage());
  }

  /**
   * Records the packages of the jars that the classpath profiles (explicit, or detected from the
   * classpath) give to the cluster image.
   */
  private void markFrameworkJars(List<ScannedEntry> scanned, List<List<PackedPackage>> byEntry) {
    List<Path> jars = scanned.stream().map(ScannedEntry::entry).filter(e -> !e.directory())
        .map(ClasspathEntry::path).toList();
    List<ClasspathProfile> profiles = config.classpathProfiles()
        .orElseGet(() -> ClasspathProfile.detect(config.cluster(), jars));
    if (profiles.isEmpty()) {
      return;
    }
    int marked = 0;
    for (int i = 0; i < scanned.size(); i++) {
      ClasspathEntry e = scanned.get(i).entry();
      if (!e.directory() && profiles.stream().anyMatch(p -> p.provides(e.path()))) {
        frameworkProvided.addAll(byEntry.get(i));
        marked++;
      }
    }
    LOG.info("classpath profiles {}: {} jars are the framework's, provided by the cluster image",
        profiles.stream().map(ClasspathProfile::name).toList(), marked);
  }

  /** Whether the worker image provides this package, so it is recorded but not uploaded. */
  private boolean provided(PackedPackage p) {
    return (config.dependenciesInImage() && p.kind() == EntryKind.DEPENDENCY) || frameworkProvided.contains(p);
  }

  private static String providedName(PackedPackage p) {
    Path name = Path.of(p.source()).getFileName();
    return name == null ? p.source() : name.toString();
  }

  /** The JVM this code runs on, as a manifest records it. */
  public static Manifest.Runtime currentRuntime() {
    String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac")) {
      os = "macos";
    } else if (os.startsWith("windows")) {
      os = "windows";
    }
    return new Manifest.Runtime(Runtime.version().feature(), os, System.getProperty("os.arch", "unknown"));
  }

  private long begin(Phase phase, long total, String unit) {
    config.listener().onEvent(new ProgressEvent(phase, ProgressEvent.Type.STARTED, 0, total, unit));
    return System.nanoTime();
  }

  private void end(Phase phase, String name, long startedNanos, long done, String unit) {
    end(phase, name, startedNanos, System.nanoTime(), done, unit);
  }

  private void end(Phase phase, String name, long startedNanos, long endedNanos, long done, String unit) {
    phases.put(name, (endedNanos - startedNanos) / 1_000_000);
    config.listener().onEvent(new ProgressEvent(phase, ProgressEvent.Type.FINISHED, done, done, unit));
  }

  /**
   * Reports bytes done in a phase as pool threads add to them. The fingerprint's total is read at each
   * event: the consumer is made before the scan has counted the bytes.
   */
  private LongConsumer progress(Phase phase) {
    AtomicLong done = new AtomicLong();
    ProgressListener listener = config.listener();
    return n -> listener.onEvent(
        new ProgressEvent(phase, ProgressEvent.Type.PROGRESS, done.addAndGet(n),
            phase == Phase.FINGERPRINT ? bytesScanned : -1, "bytes"));
  }

  private static java.util.concurrent.ThreadFactory daemonThread(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Uploads in flight at once to a storage that is not on this machine. */
  private static final int REMOTE_UPLOADS = 8;

  private static ForkJoinPool.ForkJoinWorkerThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("geneva-pipeline-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Deletes what crashed sessions left in the home's tmp directory long ago. */
  private static void deleteStale(Path tmp) throws IOException {
    Instant cutoff = Instant.now().minus(STALE_TMP);
    try (var children = Files.list(tmp)) {
      for (Path p : (Iterable<Path>) children::iterator) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            deleteRecursively(p);
          }
        } catch (IOException ignored) {
          // Another session may be cleaning up too.
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Left for the next session's deleteStale, or the storage's staging clean-up.
        }
      });
    } catch (IOException ignored) {
      // The directory may not exist if the session failed before creating it.
    }
  }
}
