package io.geneva.internal.pack;

import io.geneva.ProgressEvent.Phase;
import io.geneva.internal.classpath.ScannedEntry;
import io.geneva.internal.concurrent.Tasks;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.fingerprint.FingerprintIndex;
import io.geneva.internal.fingerprint.Fingerprinter;
import io.geneva.internal.io.FileOpener;
import io.geneva.internal.progress.Phases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The fingerprint and pack stages of a start: finds every file's digest, reading only what the index
 * cannot vouch for, turns entries into packages, and records what was learned in the indexes (this
 * class owns when an index is rewritten).
 *
 * <p>A directory packed for the first time (it has no index) needs no fingerprint pass: its files are
 * hashed as they are packed. So it is packed while the other entries, mostly jars, are hashed on
 * another thread: packing is bound by opening ten thousand small files, which leaves CPU for hashing.
 * The two phases then overlap (the pack phase starts before the fingerprint phase ends), and the
 * report gives each its own wall time. Without such a directory they run in sequence.
 *
 * <p>Each package goes to a {@link PackageSink} as soon as it is final, so that its upload can start
 * while the rest is still hashed and packed: a jar as soon as it is hashed (on the hashing thread), a
 * shard as soon as its archive is built, an unchanged directory's shards once the directory is found
 * unchanged.
 */
public final class PackStage {
  private final ForkJoinPool pool;
  private final FileOpener opener;
  private final Path tmp;
  private final Optional<Path> jarStaging;
  private final Phases phases;
  private final long runStartNanos;
  private final Consumer<String> warnings;

  /**
   * @param pool threads for hashing and packing
   * @param opener opens source files
   * @param tmp where archives are built (the store's staging directory when it has one)
   * @param jarStaging where cold jars are copied while they are hashed, if publishing commits by rename
   * @param phases reports the fingerprint and pack phases
   * @param runStartNanos this run's start on the wall clock, for the racy-file rule
   * @param warnings receives what the report should warn about
   */
  public PackStage(
      ForkJoinPool pool,
      FileOpener opener,
      Path tmp,
      Optional<Path> jarStaging,
      Phases phases,
      long runStartNanos,
      Consumer<String> warnings) {
    this.pool = pool;
    this.opener = opener;
    this.tmp = tmp;
    this.jarStaging = jarStaging;
    this.phases = phases;
    this.runStartNanos = runStartNanos;
    this.warnings = warnings;
  }

  /**
   * What the stages produced.
   *
   * @param byEntry each scanned entry's packages, in classpath order
   * @param bytesHashed bytes read to compute digests
   * @param filesHashed files read to compute digests
   * @param bytesPacked bytes written into archives
   * @param advice where the classpath's layout defeats caching
   */
  public record Result(
      List<List<PackedPackage>> byEntry, long bytesHashed, long filesHashed, long bytesPacked, List<String> advice) {
    /** Copies the lists. */
    public Result {
      byEntry = byEntry.stream().map(List::copyOf).toList();
      advice = List.copyOf(advice);
    }

    /** Every package, in classpath order. */
    public List<PackedPackage> packages() {
      List<PackedPackage> all = new ArrayList<>();
      byEntry.forEach(all::addAll);
      return all;
    }
  }

  /** An entry and its index, at its position on the classpath. */
  private record Slot(int position, ScannedEntry scanned, FingerprintIndex index) {}

  /** Fingerprints and packs these entries, whose indexes are {@code indexes} (in the same order). */
  public Result run(List<ScannedEntry> scanned, List<FingerprintIndex> indexes, FingerprintIndex jarIndex)
      throws IOException {
    return run(scanned, indexes, jarIndex, PackageSink.NONE);
  }

  /**
   * Fingerprints and packs as {@link #run(List, List, FingerprintIndex)} does, handing each package to
   * {@code sink} as soon as it is final (see {@link PackageSink}): a jar as soon as it is hashed, while
   * directories are still packed; a built shard as soon as its archive is written. The result still
   * lists every package in classpath order.
   */
  public Result run(
      List<ScannedEntry> scanned, List<FingerprintIndex> indexes, FingerprintIndex jarIndex, PackageSink sink)
      throws IOException {
    List<Slot> fresh = new ArrayList<>();
    List<Slot> rest = new ArrayList<>();
    long bytesScanned = 0;
    for (int i = 0; i < scanned.size(); i++) {
      Slot slot = new Slot(i, scanned.get(i), indexes.get(i));
      (slot.scanned().entry().directory() && !slot.index().existed() ? fresh : rest).add(slot);
      bytesScanned += slot.scanned().totalBytes();
    }
    Tally tally = new Tally();
    long fingerprintStart = phases.begin(Phase.FINGERPRINT, bytesScanned, "bytes");
    Fingerprinter fingerprinter =
        new Fingerprinter(pool, opener, phases.progress(Phase.FINGERPRINT, bytesScanned), jarStaging);
    Packer packer = new Packer(pool, opener, tmp, fingerprinter::rehash, phases.progress(Phase.PACK, -1));
    ExecutorService hasher = Executors.newSingleThreadExecutor(ThreadFactories.daemon("geneva-fingerprint"));
    try {
      long[] fingerprintEnd = new long[1];
      Future<List<Fingerprinter.Result>> hashing =
          hasher.submit(
              () -> {
                // A jar is its own package: it can be published as soon as it is hashed.
                List<Fingerprinter.Result> results =
                    fingerprinter.fingerprint(
                        rest.stream().map(Slot::scanned).toList(),
                        rest.stream().map(Slot::index).toList(),
                        (j, r) -> {
                          if (!r.entry().entry().directory()) {
                            Slot slot = rest.get(j);
                            packer.pack(r, slot.index(), path -> false).packages()
                                .forEach(p -> sink.accept(slot.position(), p));
                          }
                        });
                fingerprintEnd[0] = System.nanoTime();
                return results;
              });
      List<Fingerprinter.Result> freshResults = fingerprint(fingerprinter, fresh); // deferred: no reading
      boolean overlap = !fresh.isEmpty();
      List<Fingerprinter.Result> restResults =
          overlap ? null : finishFingerprint(hashing, fingerprintStart, fingerprintEnd, tally);

      long packStart = phases.begin(Phase.PACK, -1, "bytes");
      List<List<PackedPackage>> byEntry = new ArrayList<>(java.util.Collections.nCopies(scanned.size(), null));
      Map<String, FingerprintIndex.Entry> jarIndexUpdates = new HashMap<>();
      for (int j = 0; j < fresh.size(); j++) {
        Slot slot = fresh.get(j);
        byEntry.set(
            slot.position(),
            packEntry(packer, freshResults.get(j), slot.index(), jarIndexUpdates, tally,
                p -> sink.accept(slot.position(), p)));
      }
      if (overlap) {
        restResults = finishFingerprint(hashing, fingerprintStart, fingerprintEnd, tally);
      }
      for (int j = 0; j < rest.size(); j++) {
        Slot slot = rest.get(j);
        Fingerprinter.Result r = restResults.get(j);
        // Nothing in an unchanged directory changed: last run's packages, without planning or hashing.
        // (A jar went to the sink when it was hashed.)
        boolean directory = r.entry().entry().directory();
        if (directory && Packer.canReuse(r, slot.index())) {
          List<PackedPackage> reused = packer.reuse(r, slot.index()).packages();
          reused.forEach(p -> sink.accept(slot.position(), p));
          byEntry.set(slot.position(), reused);
        } else {
          byEntry.set(
              slot.position(),
              packEntry(packer, r, slot.index(), jarIndexUpdates, tally,
                  directory ? p -> sink.accept(slot.position(), p) : p -> {}));
        }
      }
      if (!jarIndexUpdates.isEmpty()) {
        try {
          jarIndex.saveMerged(jarIndexUpdates);
        } catch (IOException e) {
          warnings.accept(
              "could not save the fingerprint index of jars (" + e + "); the next start will hash them again");
        }
      }
      phases.end(Phase.PACK, "pack", packStart, tally.bytesPacked, "bytes");
      return new Result(byEntry, tally.bytesHashed, tally.filesHashed, tally.bytesPacked, tally.advice);
    } finally {
      // On failure, the hashing thread must stop writing into tmp before tmp is deleted.
      hasher.shutdownNow();
      try {
        hasher.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Counts of one run, kept by the calling thread. */
  private static final class Tally {
    long bytesHashed;
    long filesHashed;
    long bytesPacked;
    final List<String> advice = new ArrayList<>();
  }

  private static List<Fingerprinter.Result> fingerprint(Fingerprinter fingerprinter, List<Slot> slots) {
    return fingerprinter.fingerprint(
        slots.stream().map(Slot::scanned).toList(), slots.stream().map(Slot::index).toList());
  }

  /** Waits for the fingerprints hashed on the other thread and ends the fingerprint phase. */
  private List<Fingerprinter.Result> finishFingerprint(
      Future<List<Fingerprinter.Result>> hashing, long startedNanos, long[] endedNanos, Tally tally) {
    Tasks.awaitAll(List.of(hashing), "fingerprinting the classpath");
    List<Fingerprinter.Result> results = Tasks.done(hashing);
    for (Fingerprinter.Result r : results) {
      tally.bytesHashed += r.bytesHashed();
      tally.filesHashed += r.filesHashed();
    }
    phases.end(Phase.FINGERPRINT, "fingerprint", startedNanos, endedNanos[0], tally.bytesHashed, "bytes");
    return results;
  }

  private List<PackedPackage> packEntry(
      Packer packer,
      Fingerprinter.Result r,
      FingerprintIndex index,
      Map<String, FingerprintIndex.Entry> jarIndexUpdates,
      Tally tally,
      Consumer<PackedPackage> ready) {
    // Volatility comes from the history as this run will record it; a run that records nothing
    // plans with the flags the index already has, so its plan is the one the index was written with.
    boolean changes = Fingerprinter.changesIndex(r, index);
    Map<String, FingerprintIndex.Entry> next =
        changes ? Fingerprinter.nextEntries(r, index, runStartNanos) : index.entries();
    Packer.PackedEntry packed =
        packer.pack(r, index, Fingerprinter.volatility(next), ready);
    tally.bytesHashed += packed.bytesHashed();
    tally.filesHashed += packed.filesHashed();
    boolean built = false;
    for (PackedPackage p : packed.packages()) {
      tally.bytesPacked += p.bytesPacked();
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
    Advice.forEntry(packed, Fingerprinter.volatility(next), tally.advice);
    return packed.packages();
  }

  private void saveIndex(
      FingerprintIndex index, Map<String, FingerprintIndex.Entry> entries, Packer.PackedEntry packed) {
    try {
      index.save(entries, packed.shards(), packed.plan());
    } catch (IOException e) {
      warnings.accept("could not save the fingerprint index for " + packed.entry().path() + " (" + e
          + "); the next start will hash its files again");
    }
  }
}
