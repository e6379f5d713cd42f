package io.geneva.pipeline;

import io.geneva.ConfigurationException;
import io.geneva.GenevaSession;
import io.geneva.Manifest;
import io.geneva.PackageReport;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup pipeline — scan, fingerprint, pack, publish, manifest — and builds the {@link
 * StartupReport}. Each stage lives in its own package; this class only sequences them, times them and
 * reports on them.
 */
public final class StartupPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StartupPipeline.class);

  private final SessionConfig config;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> phases = new LinkedHashMap<>();

  private StartupPipeline(SessionConfig config) {
    this.config = config;
  }

  /** Opens a session: runs the pipeline and returns the session holding its results. */
  public static GenevaSession open(SessionConfig config) {
    Storage storage = null;
    boolean ownsStorage = config.storage().isEmpty();
    try {
      Path home = prepareHome(config.home());
      storage = config.storage().orElseGet(() -> StorageSelector.open(config.effectiveStorageRoot()));
      Outcome outcome = new StartupPipeline(config).run(home, storage);
      return new OpenSession(outcome.manifest(), outcome.report(), storage, ownsStorage);
    } catch (RuntimeException | Error e) {
      if (ownsStorage && storage != null) {
        storage.close();
      }
      throw e;
    }
  }

  private record Outcome(Manifest manifest, StartupReport report) {}

  static Path prepareHome(Path home) {
    try {
      Files.createDirectories(home.resolve("tmp"));
      Path probe = Files.createTempFile(home.resolve("tmp"), "probe", ".tmp");
      Files.delete(probe);
      return home;
    } catch (IOException e) {
      throw new ConfigurationException(
          "Geneva home " + home + " cannot be written (" + e
              + "); set GENEVA_HOME or --home to a writable directory",
          e);
    }
  }

  private Outcome run(Path home, Storage storage) {
    long started = System.nanoTime();
    java.time.Instant runStart = config.clock().instant();
    long runStartNanos = runStart.getEpochSecond() * 1_000_000_000L + runStart.getNano();
    ProgressListener listener = config.listener();
    ForkJoinPool pool = new ForkJoinPool(config.parallelism(), daemonThreads(), null, false);
    Path tmp = null;
    try {
      // Archives (and cold jars) are written where publishing can commit them with a rename.
      Optional<LocalStaging> staging = storage.localStaging();
      tmp = staging.isPresent()
          ? staging.get().newDirectory()
          : Files.createDirectories(home.resolve("tmp").resolve(UUID.randomUUID().toString()));

      // 1. Scan
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
      // Index files load while the walk runs: the walk is bound by stat calls, which do not spread
      // over cores on every machine, so the other core is free.
      Path indexDir = home.resolve("index");
      Future<FingerprintIndex> fileIndexLoad =
          pool.submit(() -> FingerprintIndex.load(FingerprintIndex.sharedFileIndex(indexDir), warnings::add));
      Map<Path, Future<FingerprintIndex>> directoryIndexLoads = new LinkedHashMap<>();
      for (ClasspathEntry e : entries) {
        if (e.directory()) {
          directoryIndexLoads.put(
              e.path(),
              pool.submit(() -> FingerprintIndex.load(FingerprintIndex.fileFor(indexDir, e.path()), warnings::add)));
        }
      }
      List<ScannedEntry> scanned = scanner.scanAll(entries, pool);
      long files = 0;
      long bytesScanned = 0;
      for (ScannedEntry s : scanned) {
        files += s.files().size();
        bytesScanned += s.totalBytes();
      }
      end(Phase.SCAN, "scan", t, entries.size(), "entries");

      // 2. Fingerprint
      t = begin(Phase.FINGERPRINT, bytesScanned, "bytes");
      Tasks.awaitAll(List.of(fileIndexLoad), "loading the fingerprint index");
      Tasks.awaitAll(directoryIndexLoads.values(), "loading the fingerprint index");
      FingerprintIndex fileIndex = Tasks.done(fileIndexLoad);
      List<FingerprintIndex> indexes = new ArrayList<>(scanned.size());
      for (ScannedEntry s : scanned) {
        indexes.add(s.entry().directory() ? Tasks.done(directoryIndexLoads.get(s.entry().path())) : fileIndex);
      }
      AtomicLong hashedSoFar = new AtomicLong();
      long total = bytesScanned;
      Fingerprinter fingerprinter =
          new Fingerprinter(
              pool,
              config.opener(),
              n -> progress(listener, Phase.FINGERPRINT, hashedSoFar.addAndGet(n), total),
              staging.isPresent() ? Optional.of(tmp) : Optional.empty());
      List<Fingerprinter.Result> results = fingerprinter.fingerprint(scanned, indexes);
      long bytesHashed = 0;
      long filesHashed = 0;
      for (Fingerprinter.Result r : results) {
        bytesHashed += r.bytesHashed();
        filesHashed += r.filesHashed();
      }
      end(Phase.FINGERPRINT, "fingerprint", t, bytesHashed, "bytes");

      // 3. Pack
      t = begin(Phase.PACK, -1, "bytes");
      AtomicLong packedSoFar = new AtomicLong();
      Packer packer =
          new Packer(pool, config.opener(), tmp, fingerprinter::rehash,
              n -> progress(listener, Phase.PACK, packedSoFar.addAndGet(n), -1));
      List<PackedPackage> packages = new ArrayList<>();
      List<String> advice = new ArrayList<>();
      long bytesPacked = 0;
      Map<String, FingerprintIndex.Entry> fileIndexUpdates = new java.util.HashMap<>();
      for (int i = 0; i < results.size(); i++) {
        Fingerprinter.Result r = results.get(i);
        FingerprintIndex index = indexes.get(i);
        boolean directory = r.entry().entry().directory();
        if (directory && Packer.canReuse(r, index)) {
          // Nothing in this directory changed: last run's packages, without planning or hashing.
          packages.addAll(packer.reuse(r, index).packages());
          continue;
        }
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
        packages.addAll(packed.packages());
        Fingerprinter.Result updated =
            new Fingerprinter.Result(r.entry(), packed.fingerprints(), r.bytesHashed(), r.filesHashed(), r.staged());
        if (!directory) {
          if (Fingerprinter.changesIndex(updated, index)) {
            fileIndexUpdates.putAll(Fingerprinter.nextEntries(updated, index, runStartNanos));
          }
        } else if (built || changes || Fingerprinter.changesIndex(updated, index)) {
          saveIndex(index, Fingerprinter.nextEntries(updated, index, runStartNanos), packed);
        }
        Advice.forEntry(packed, next, advice);
      }
      if (!fileIndexUpdates.isEmpty()) {
        try {
          fileIndex.saveMerged(fileIndexUpdates);
        } catch (IOException e) {
          warnings.add("could not save the fingerprint index of jars (" + e + "); the next start will hash them again");
        }
      }
      end(Phase.PACK, "pack", t, bytesPacked, "bytes");

      // 4. Manifest, named by its digest, then 5. publish packages and the manifest.
      t = begin(Phase.MANIFEST, 1, "manifests");
      Manifest manifest = manifest(packages);
      byte[] manifestBytes = ManifestCodec.encode(manifest);
      String manifestDigest = io.geneva.hash.Sha256.of(manifestBytes);
      ObjectKey manifestKey = ObjectKey.forManifest(manifestDigest);
      end(Phase.MANIFEST, "manifest", t, 1, "manifests");

      t = begin(Phase.PUBLISH, packages.size(), "packages");
      AtomicLong uploadedSoFar = new AtomicLong();
      KnownObjects known = KnownObjects.load(home.resolve("known"), storage.root(), warnings::add);
      Publisher.Result published =
          new Publisher(storage, known, pool, config.clock(), config.storageRecheckAfter(), config.verifyStorage(),
                  n -> progress(listener, Phase.PUBLISH, uploadedSoFar.addAndGet(n), -1))
              .publish(packages, manifestKey, manifestBytes);
      end(Phase.PUBLISH, "publish", t, published.bytesUploaded(), "bytes");
      for (ObjectKey k : published.replaced()) {
        warnings.add("storage held a corrupt or truncated " + k + "; it was replaced");
      }

      List<PackageReport> packageReports = new ArrayList<>();
      int reused = 0;
      java.util.Set<ObjectKey> counted = new java.util.HashSet<>();
      for (PackedPackage p : packages) {
        boolean uploaded = published.uploaded().contains(p.key());
        if (!uploaded && counted.add(p.key())) {
          reused++;
        }
        String reason = uploaded && p.reason().equals("unchanged") ? "unchanged; storage did not have it" : p.reason();
        packageReports.add(new PackageReport(p.source(), p.kind(), p.sha256(), p.size(), uploaded, reason));
      }
      StartupReport report =
          new StartupReport(
              manifestDigest,
              storage.uri(manifestKey).toString(),
              (System.nanoTime() - started) / 1_000_000,
              phases,
              files,
              filesHashed,
              bytesScanned,
              bytesHashed,
              bytesPacked,
              published.bytesUploaded(),
              published.uploaded().size(),
              reused,
              packageReports,
              advice,
              List.copyOf(warnings));
      LOG.info(
          "Geneva published manifest {} ({} packages, {} uploaded) in {} ms",
          manifestDigest, packages.size(), published.uploaded().size(), report.elapsedMillis());
      recordHistory(home, storage, entries, report);
      return new Outcome(manifest, report);
    } catch (IOException e) {
      throw new io.geneva.PackagingException("cannot use Geneva home " + home + ": " + e, e);
    } finally {
      pool.shutdownNow();
      if (tmp != null) {
        deleteRecursively(tmp);
      }
    }
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

  private void recordHistory(Path home, Storage storage, List<ClasspathEntry> entries, StartupReport report) {
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
      classpath.add(new Manifest.Package(p.key().path(), p.sha256(), p.size(), p.kind()));
    }
    return new Manifest(
        Manifest.FORMAT_VERSION,
        classpath,
        currentRuntime(),
        config.jvmOptions(),
        config.environment(),
        false);
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
    phases.put(name, (System.nanoTime() - startedNanos) / 1_000_000);
    config.listener().onEvent(new ProgressEvent(phase, ProgressEvent.Type.FINISHED, done, done, unit));
  }

  private static void progress(ProgressListener listener, Phase phase, long done, long total) {
    listener.onEvent(new ProgressEvent(phase, ProgressEvent.Type.PROGRESS, done, total, "bytes"));
  }

  private static ForkJoinPool.ForkJoinWorkerThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("geneva-pipeline-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void deleteRecursively(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // A leftover temporary file is removed with the next session's cleanup of old tmp dirs.
        }
      });
    } catch (IOException ignored) {
      // The directory may not exist if the session failed before creating it.
    }
  }
}
