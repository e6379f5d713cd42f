package io.geneva.internal.session;

import io.geneva.Manifest;
import io.geneva.PackagingException;
import io.geneva.ProgressEvent.Phase;
import io.geneva.StartupReport;
import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.classpath.ScanStage;
import io.geneva.internal.classpath.ScannedEntry;
import io.geneva.internal.fingerprint.FingerprintIndex;
import io.geneva.internal.fingerprint.IndexLoading;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.fingerprint.StaleFingerprintException;
import io.geneva.internal.io.IoProblems;
import io.geneva.internal.io.StagingDirectories;
import io.geneva.internal.manifest.ManifestBuilder;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.pack.PackStage;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.internal.progress.Phases;
import io.geneva.internal.publish.ProvidedPackages;
import io.geneva.internal.publish.PublishStage;
import io.geneva.internal.publish.Publisher;
import io.geneva.internal.report.ReportHistory;
import io.geneva.internal.report.StartupReports;
import io.geneva.spi.LocalStaging;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sequences a start: scan, decide what ships, fingerprint and pack, manifest, publish, report. Each
 * stage lives in the package named for it, takes the previous stage's value and returns its own; this
 * class only passes them along. The one overlap: the publish stage is open while the pack stage runs
 * and takes each package it will ship as soon as the pack stage has it final, so uploads run beside
 * hashing and packing; the manifest is handed to it last and written once every package is stored.
 */
final class StartupPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StartupPipeline.class);

  private final SessionConfig config;
  private final Path home;
  private final Storage storage;
  private final ForkJoinPool pool;
  private final Phases phases;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

  private StartupPipeline(SessionConfig config, Path home, Storage storage, ForkJoinPool pool) {
    this.config = config;
    this.home = home;
    this.storage = storage;
    this.pool = pool;
    this.phases = new Phases(config.listener());
  }

  /** What a start produced. */
  record Outcome(Manifest manifest, StartupReport report) {}

  /** Runs a start against this storage, with the pool's threads. */
  static Outcome run(SessionConfig config, Storage storage, ForkJoinPool pool) {
    Path home = GenevaHome.prepare(config.home());
    try {
      return new StartupPipeline(config, home, storage, pool).run();
    } catch (StaleFingerprintException e) {
      // An index entry disagreed with its file: forget it and package once more, so a stale entry
      // costs one re-hash instead of failing every later run. A file that really keeps changing
      // fails the second attempt too.
      forgetStaleEntry(home, e);
      StartupPipeline again = new StartupPipeline(config, home, storage, pool);
      again.warnings.add("the fingerprint index entry of " + e.source().map(Path::toString).orElse("a package")
          + " did not match its content (" + e.getMessage() + "); it was replaced and the classpath packaged again");
      try {
        return again.run();
      } catch (StaleFingerprintException twice) {
        forgetStaleEntry(home, twice);
        throw twice;
      }
    }
  }

  private static void forgetStaleEntry(Path home, StaleFingerprintException e) {
    if (e.source().isPresent()) {
      try {
        FingerprintIndex.forget(home.resolve("index"), e.source().get());
      } catch (IOException forgetting) {
        e.addSuppressed(forgetting);
        throw e;
      }
    }
  }

  private Outcome run() {
    long started = System.nanoTime();
    Instant runStart = config.clock().instant();
    // Archives (and cold jars) are written where publishing can commit them with a rename.
    Optional<LocalStaging> staging = storage.localStaging();
    Path tmp = null;
    StagingDirectories.Owned ownedTmp = null;
    try {
      if (staging.isPresent()) {
        tmp = staging.get().newDirectory();
      } else {
        ownedTmp = GenevaHome.newTmpDirectory(home);
        tmp = ownedTmp.directory();
      }

      // 1. Scan; the fingerprint indexes load while the classpath is walked.
      long t = phases.begin(Phase.SCAN, -1, "entries");
      ScanStage scan = new ScanStage(config.classpath(), config.classpathOrigin(), config.projectDirectory(),
          config.skipMissingEntries(), config.defaultExcludes(), config.excludes(), warnings::add);
      List<ClasspathEntry> entries = scan.resolve();
      IndexLoading indexLoading = IndexLoading.start(home.resolve("index"), entries, pool, warnings::add);
      List<ScannedEntry> scanned = scan.walk(entries, pool);
      phases.end(Phase.SCAN, "scan", t, entries.size(), "entries");
      IndexLoading.Indexes indexes = indexLoading.await(scanned);

      // What ships: everything but what the cluster image provides, decided before packing so that
      // nothing provided is uploaded while packing goes on.
      ProvidedPackages provided = ProvidedPackages.decide(config.dependenciesInImage(),
          config.classpathProfiles(), config.cluster(), scanned);

      ProvidedPackages decided;
      Publisher.Result published;
      PackStage.Result packed;
      List<PackedPackage> packages;
      Manifest manifest;
      ObjectKey manifestKey;
      // Closed before tmp is deleted: no upload reads a staged file after this block.
      try (PublishStage publishing = new PublishStage(storage, home, pool, config.clock(),
          config.storageRecheckAfter(), config.verifyStorage(), phases, warnings::add)) {
        // 2 and 3. Fingerprint and pack, handing each package to the publish stage (4) as soon as it
        // is final: its upload starts while later packages are still hashed and packed. Provided
        // jars are hashed, not copied into the store.
        Optional<Path> jarStaging =
            staging.isPresent() && !config.dependenciesInImage() ? Optional.of(tmp) : Optional.empty();
        packed = new PackStage(pool, config.opener(), tmp, jarStaging, phases, epochNanos(runStart), warnings::add)
            .run(scanned, indexes.byEntry(), indexes.jars(), (position, p) -> {
              if (!provided.providesEntry(position)) {
                publishing.offer(p);
              }
            });
        decided = provided.withPackages(packed.byEntry());
        packages = packed.packages();

        // 5. The manifest, written last by the publish stage once storage holds every package.
        t = phases.begin(Phase.MANIFEST, 1, "manifests");
        manifest = ManifestBuilder.of(packages, decided::contains, ProvidedPackages::fileName,
            config.jvmOptions(), config.environment(), config.dependenciesInImage());
        byte[] manifestBytes = ManifestCodec.encode(manifest);
        manifestKey = ObjectKey.forManifest(Sha256.of(manifestBytes));
        phases.end(Phase.MANIFEST, "manifest", t, 1, "manifests");

        // 4. Publish what is left, then the manifest.
        published = publishing.finish(decided.shipped(packages), manifestKey, manifestBytes);
      }

      long files = 0;
      long bytesScanned = 0;
      for (ScannedEntry s : scanned) {
        files += s.files().size();
        bytesScanned += s.totalBytes();
      }
      StartupReport report = StartupReports.assemble(files, bytesScanned, packed, decided::contains,
          manifestKey, storage.uri(manifestKey), published, phases.millis(), warnings, System.nanoTime() - started);
      LOG.info(
          "Geneva published manifest {} ({} packages, {} uploaded) in {} ms",
          report.manifestDigest(), packages.size(), published.uploaded().size(), report.elapsedMillis());
      recordHistory(entries, report);
      return new Outcome(manifest, report);
    } catch (IOException e) {
      throw new PackagingException("cannot use Geneva home " + home + ": " + IoProblems.describe(e), e);
    } finally {
      if (tmp != null) {
        StagingDirectories.deleteTree(tmp);
      }
      if (ownedTmp != null) {
        ownedTmp.close();
      }
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

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
