package io.geneva.internal.pack;

import io.geneva.IntegrityException;
import io.geneva.PackagingException;
import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.concurrent.Tasks;
import io.geneva.internal.fingerprint.FingerprintIndex.PackedShard;
import io.geneva.internal.fingerprint.FingerprintIndex;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import io.geneva.internal.fingerprint.Fingerprinter;
import io.geneva.internal.fingerprint.StaleFingerprintException;
import io.geneva.internal.io.FileOpener;
import io.geneva.spi.Content;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Turns fingerprinted entries into packages: a jar as it is; a directory as shards, each reused from
 * the index's record of archives already built for the same shard key, or built now (in parallel)
 * into a private temporary directory.
 */
public final class Packer {
  private static final int MAX_ATTEMPTS = 3;
  private static final int SHOWN_FILES = 3;

  private final ExecutorService pool;
  private final ThreadLocal<ArchiveWriter> writers;
  private final Path tmpDirectory;
  private final UnaryOperator<Fingerprint> rehash;
  /**
   * Numbers the archives built in the temporary directory. A shard key cannot name them: the key of
   * a shard whose digests are deferred to packing covers only its files' paths and sizes, so two
   * directories with the same layout and different content (two modules of one project) have equal
   * keys, and one archive would overwrite the other before both are published.
   */
  private final AtomicLong archives = new AtomicLong();

  /**
   * @param pool builds archives; not shut down here
   * @param opener opens source files
   * @param tmpDirectory where built archives wait for upload; the caller deletes it
   * @param rehash fingerprints a file again after it changed under the packer
   * @param progress receives counts of source bytes packed
   */
  public Packer(
      ExecutorService pool,
      FileOpener opener,
      Path tmpDirectory,
      UnaryOperator<Fingerprint> rehash,
      LongConsumer progress) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.writers = ThreadLocal.withInitial(() -> new ArchiveWriter(opener, progress));
    this.tmpDirectory = Objects.requireNonNull(tmpDirectory, "tmpDirectory");
    this.rehash = Objects.requireNonNull(rehash, "rehash");
  }

  /**
   * One entry's packages.
   *
   * @param entry the classpath entry
   * @param fingerprints its files' fingerprints, updated for files that changed during packing
   * @param packages its packages in classpath order
   * @param shards the shards used, by key, to record in the index
   * @param bytesHashed bytes of files whose digests were deferred to packing, read here
   * @param filesHashed the number of those files
   * @param plan the shards in order, to record in the index for the next unchanged run
   */
  public record PackedEntry(
      ClasspathEntry entry,
      List<Fingerprint> fingerprints,
      List<PackedPackage> packages,
      Map<String, PackedShard> shards,
      long bytesHashed,
      int filesHashed,
      List<FingerprintIndex.PlannedShard> plan) {}

  /**
   * Whether {@link #reuse} can stand in for {@link #pack}: the directory's files all matched the
   * index and are exactly the files it records (so the plan is the one the index was written with),
   * and every archive of that plan is recorded.
   */
  public static boolean canReuse(Fingerprinter.Result result, FingerprintIndex index) {
    if (!result.entry().entry().directory()
        || index.plan().isEmpty()
        || Fingerprinter.changesIndex(result, index)) {
      return false;
    }
    for (FingerprintIndex.PlannedShard planned : index.plan()) {
      if (index.shard(planned.key()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The packages of an unchanged directory, straight from the index: no planning, no shard keys, no
   * file read. Only if storage lost an archive is the directory planned again to rebuild it.
   */
  public PackedEntry reuse(Fingerprinter.Result result, FingerprintIndex index) {
    ClasspathEntry entry = result.entry().entry();
    Map<String, Shard> replanned = new ConcurrentHashMap<>();
    List<PackedPackage> packages = new ArrayList<>(index.plan().size());
    Map<String, PackedShard> used = new HashMap<>();
    for (FingerprintIndex.PlannedShard planned : index.plan()) {
      PackedShard archive = index.shard(planned.key()).orElseThrow();
      used.put(planned.key(), archive);
      String name = entry.displayName() + planned.name();
      packages.add(
          new PackedPackage(
              name,
              entry.kind(),
              archive.sha256(),
              archive.size(),
              "unchanged",
              0,
              () -> rebuild(replan(result, index, replanned, planned, name), name, archive, entry),
              Optional.empty()));
    }
    return new PackedEntry(entry, result.files(), packages, used, 0, 0, index.plan());
  }

  private static Shard replan(
      Fingerprinter.Result result,
      FingerprintIndex index,
      Map<String, Shard> replanned,
      FingerprintIndex.PlannedShard wanted,
      String name) {
    synchronized (replanned) {
      if (replanned.isEmpty()) {
        for (Shard s : ShardPlanner.plan(result.files(), path -> index.get(path).map(e -> e.volatileFile()).orElse(false))) {
          replanned.put(s.key(), s);
        }
      }
    }
    Shard shard = replanned.get(wanted.key());
    if (shard == null) {
      throw new StaleFingerprintException(
          Optional.of(result.entry().entry().path()),
          "the fingerprint index of " + result.entry().entry().path() + " lists shard " + name
              + " that its files no longer plan to; its index is rebuilt, run again",
          new IntegrityException("shard " + wanted.key() + " not in the plan"));
    }
    return shard;
  }

  /** Packs one entry whose index is {@code index} and whose volatile files {@code isVolatile} names. */
  public PackedEntry pack(
      Fingerprinter.Result result, FingerprintIndex index, Predicate<String> isVolatile) {
    return pack(result, index, isVolatile, p -> {});
  }

  /**
   * Packs one entry as {@link #pack(Fingerprinter.Result, FingerprintIndex, Predicate)} does, and hands
   * each of a directory's packages to {@code ready} as soon as it is final: a shard the index already
   * records when it is planned, a built one once its archive is written and checked (from the pool's
   * threads). A jar's one package is only returned. What {@code ready} throws fails the entry.
   */
  public PackedEntry pack(
      Fingerprinter.Result result,
      FingerprintIndex index,
      Predicate<String> isVolatile,
      Consumer<PackedPackage> ready) {
    ClasspathEntry entry = result.entry().entry();
    if (!entry.directory()) {
      Fingerprint jar = result.files().get(0);
      String reason =
          switch (jar.change()) {
            case ADDED -> "new";
            case CHANGED -> "changed content";
            default -> "unchanged";
          };
      Content content = Content.ofFile(entry.path(), jar.file().size(), jar.sha256());
      PackedPackage p =
          new PackedPackage(
              entry.displayName(), entry.kind(), jar.sha256(), jar.file().size(), reason, 0, () -> content,
              result.staged());
      return new PackedEntry(entry, result.files(), List.of(p), Map.of(), 0, 0, List.of());
    }
    List<Shard> shards = ShardPlanner.plan(result.files(), isVolatile, IndexKeyMemo.of(index));
    EntryBuild build = new EntryBuild(entry, index, shards.size());
    List<Future<PackedPackage>> futures = new ArrayList<>(shards.size());
    for (int i = 0; i < shards.size(); i++) {
      Shard shard = shards.get(i);
      int position = i;
      String name = entry.displayName() + shard.name();
      PackedShard cached = hasDeferred(shard) ? null : index.shard(shard.key()).orElse(null);
      if (cached != null) {
        build.record(position, shard.key(), cached);
        PackedPackage reused =
            new PackedPackage(
                name,
                entry.kind(),
                cached.sha256(),
                cached.size(),
                "unchanged",
                0,
                () -> rebuild(shard, name, cached, entry),
                Optional.empty());
        futures.add(CompletableFuture.completedFuture(reused));
        try {
          ready.accept(reused);
        } catch (RuntimeException | Error e) {
          futures.forEach(f -> f.cancel(true));
          throw e;
        }
      } else {
        futures.add(
            pool.submit(
                () -> {
                  PackedPackage built = build(build, shard, name, position);
                  ready.accept(built);
                  return built;
                }));
      }
    }
    Tasks.awaitAll(futures, "packing " + entry.path());
    List<PackedPackage> packages = new ArrayList<>(futures.size());
    for (Future<PackedPackage> f : futures) {
      packages.add(Tasks.done(f));
    }
    List<Fingerprint> fingerprints = result.files();
    if (!build.updated.isEmpty()) {
      fingerprints = new ArrayList<>(fingerprints);
      fingerprints.replaceAll(f -> build.updated.getOrDefault(f.file().relativePath(), f));
    }
    int deferredFiles = 0;
    for (Fingerprint f : result.files()) {
      deferredFiles += f.change() == Change.DEFERRED ? 1 : 0;
    }
    List<FingerprintIndex.PlannedShard> plan = new ArrayList<>(shards.size());
    for (int i = 0; i < shards.size(); i++) {
      Shard s = shards.get(i);
      // A file re-read while packing may have another size or volatility than it was planned with, so
      // the shards' membership no longer follows from the entries saved: the next plan must not reuse it.
      plan.add(
          build.rehashed || s.volatileFiles()
              ? new FingerprintIndex.PlannedShard(s.name(), build.keys[i])
              : new FingerprintIndex.PlannedShard(
                  s.name(), build.keys[i], s.files().get(0).file().relativePath(),
                  s.files().get(s.files().size() - 1).file().relativePath(), s.files().size()));
    }
    return new PackedEntry(
        entry, fingerprints, packages, new HashMap<>(build.used), build.deferredBytes.get(), deferredFiles, plan);
  }

  /** What the shards of one entry, built in parallel, report back. */
  private static final class EntryBuild {
    final ClasspathEntry entry;
    final FingerprintIndex index;
    /** Each shard's key, by position in the plan; a shard with deferred digests knows it once built. */
    final String[] keys;
    final Map<String, PackedShard> used = new ConcurrentHashMap<>();
    /** Fingerprints found while packing (deferred digests, files that changed), by relative path. */
    final Map<String, Fingerprint> updated = new ConcurrentHashMap<>();
    final AtomicLong deferredBytes = new AtomicLong();
    /** Whether a file changed under the packer and was fingerprinted again. */
    volatile boolean rehashed;

    EntryBuild(ClasspathEntry entry, FingerprintIndex index, int shards) {
      this.entry = entry;
      this.index = index;
      this.keys = new String[shards];
    }

    void record(int position, String key, PackedShard archive) {
      keys[position] = key;
      used.put(key, archive);
    }
  }

  private PackedPackage build(EntryBuild build, Shard planned, String name, int position) throws IOException {
    Shard shard = planned;
    for (int attempt = 1; ; attempt++) {
      Path target = tmpDirectory.resolve("shard-" + archives.incrementAndGet() + ".jar");
      try {
        ArchiveWriter.Written w = writers.get().write(shard.files(), target);
        build.deferredBytes.addAndGet(w.bytesHashed());
        Shard built = w.bytesHashed() > 0 ? Shard.of(shard.name(), w.files(), shard.volatileFiles()) : shard;
        if (built != shard) {
          for (Fingerprint f : w.files()) {
            build.updated.put(f.file().relativePath(), f);
          }
        }
        build.record(position, built.key(), new PackedShard(w.sha256(), w.size()));
        Content content = Content.ofFile(target, w.size(), w.sha256());
        return new PackedPackage(
            name, build.entry.kind(), w.sha256(), w.size(), reason(built, build.index), w.size(),
            () -> content, Optional.of(target));
      } catch (ArchiveWriter.ContentChangedException e) {
        Files.deleteIfExists(target);
        if (attempt == MAX_ATTEMPTS) {
          throw new PackagingException(
              e.file().file().file() + " kept changing while it was packed (" + MAX_ATTEMPTS
                  + " attempts); stop whatever writes it, or exclude it, and run again");
        }
        build.rehashed = true;
        Fingerprint fresh = rehash.apply(e.file());
        build.updated.put(fresh.file().relativePath(), fresh);
        List<Fingerprint> files = new ArrayList<>(shard.files());
        files.replaceAll(f -> f.file().relativePath().equals(fresh.file().relativePath()) ? fresh : f);
        shard = Shard.of(shard.name(), files, shard.volatileFiles());
      } catch (IOException e) {
        // Source read errors are PackagingExceptions already; what is left is writing the archive.
        Files.deleteIfExists(target);
        throw new PackagingException(
            "cannot write archive " + target + " for " + name + ": " + e
                + "; check the free space and permissions of " + tmpDirectory,
            e);
      }
    }
  }

  private static boolean hasDeferred(Shard shard) {
    for (Fingerprint f : shard.files()) {
      if (f.change() == Change.DEFERRED) {
        return true;
      }
    }
    return false;
  }

  /** Builds an archive again when storage lost it; its digest must come out as recorded. */
  private Content rebuild(Shard shard, String name, PackedShard expected, ClasspathEntry entry) {
    Path target = tmpDirectory.resolve("shard-" + archives.incrementAndGet() + ".jar");
    try {
      ArchiveWriter.Written w = writers.get().write(shard.files(), target);
      if (!w.sha256().equals(expected.sha256())) {
        Files.deleteIfExists(target);
        // The files read as their fingerprints say (the writer checks every digest), so the index's
        // record of the archive is what is wrong: forgotten, the entry is packed again from its files.
        throw new StaleFingerprintException(
            Optional.of(entry.path()),
            "rebuilding " + name + " gave archive " + w.sha256() + ", not " + expected.sha256()
                + " as recorded in the fingerprint index of " + entry.path() + "; its index is rebuilt, run again",
            new IntegrityException("archive digest " + w.sha256() + " is not " + expected.sha256()));
      }
      return Content.ofFile(target, w.size(), w.sha256());
    } catch (ArchiveWriter.ContentChangedException e) {
      // Changed since it was fingerprinted, or its index entry never matched it: forget the entry.
      throw new StaleFingerprintException(
          Optional.of(entry.path()),
          e.file().file().file() + " does not have the content its fingerprint index entry records (it"
              + " changed, or the entry is stale); the entry is forgotten, run again once it is stable",
          e);
    } catch (IOException e) {
      throw new PackagingException(
          "cannot write archive " + target + " to rebuild " + name + ": " + e
              + "; check the free space and permissions of " + tmpDirectory,
          e);
    }
  }

  private static String reason(Shard shard, FingerprintIndex index) {
    if (!index.existed()) {
      return "new";
    }
    Set<String> changed = new LinkedHashSet<>();
    Set<String> added = new LinkedHashSet<>();
    for (Fingerprint f : shard.files()) {
      switch (f.change()) {
        case CHANGED -> changed.add(f.file().relativePath());
        case ADDED -> added.add(f.file().relativePath());
        default -> {}
      }
    }
    List<String> parts = new ArrayList<>();
    if (!changed.isEmpty()) {
      parts.add("changed " + list(changed));
    }
    if (!added.isEmpty()) {
      parts.add("added " + list(added));
    }
    return parts.isEmpty()
        ? "files removed or moved between shards"
        : String.join("; ", parts);
  }

  private static String list(Set<String> names) {
    List<String> all = new ArrayList<>(names);
    List<String> shown = all.subList(0, Math.min(SHOWN_FILES, all.size()));
    String more = all.size() > SHOWN_FILES ? " and " + (all.size() - SHOWN_FILES) + " more" : "";
    return String.join(", ", Collections.unmodifiableList(shown)) + more;
  }
}
