package io.geneva.internal.fingerprint;

import io.geneva.PackagingException;
import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.classpath.ScannedEntry;
import io.geneva.internal.io.FileOpener;
import io.geneva.internal.io.FileStat;
import io.geneva.internal.io.IoProblems;
import io.geneva.internal.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Finds the SHA-256 of every file: from the {@link FingerprintIndex} when the fast key matches, by
 * reading the file otherwise (in parallel). A file that changes while it is read is re-read, and one
 * that keeps changing or vanishes is reported, so a digest always describes content the file really
 * had with the stat data recorded for it.
 */
public final class Fingerprinter {
  private static final int MAX_ATTEMPTS = 3;
  private static final long BATCH_BYTES = 4L << 20;
  private static final int BATCH_FILES = 256;

  private final ExecutorService pool;
  private final FileOpener opener;
  private final LongConsumer bytesProgress;
  private final Path stagingDirectory;
  private final AtomicInteger staged = new AtomicInteger();

  /** What is known of a file after fingerprinting. */
  public enum Change {
    /** The index vouched for it: nothing was read. */
    UNCHANGED,
    /** Read again (racy or touched), same content as before. */
    SAME_CONTENT,
    /** Read, and its content differs from what the index had. */
    CHANGED,
    /** Not in the index. */
    ADDED,
    /**
     * Not read yet: the first time a directory is packed every archive must be built anyway, so its
     * files are hashed while they are packed, and read once. The digest is empty until then.
     */
    DEFERRED
  }

  /**
   * A file with its digest.
   *
   * @param file the file as scanned (re-stat if it changed while read)
   * @param sha256 hex content digest
   * @param change what changed since the index recorded it
   */
  public record Fingerprint(FileRecord file, String sha256, Change change) {}

  /**
   * One entry's fingerprints, in the scan's order.
   *
   * @param entry the scanned entry
   * @param files fingerprints, one per scanned file
   * @param bytesHashed content bytes read
   * @param filesHashed files read
   * @param staged for a jar entry that was read, the staged copy holding exactly the hashed bytes
   */
  public record Result(
      ScannedEntry entry, List<Fingerprint> files, long bytesHashed, int filesHashed, Optional<Path> staged) {}

  /**
   * @param pool runs the hashing; not shut down here
   * @param opener opens files for reading
   * @param bytesProgress receives counts of bytes hashed as they are read (from pool threads)
   * @param stagingDirectory if present, a jar entry that must be read is copied here as it is hashed,
   *     so it can be published without being read again (see {@link io.geneva.spi.LocalStaging})
   */
  public Fingerprinter(
      ExecutorService pool, FileOpener opener, LongConsumer bytesProgress, Optional<Path> stagingDirectory) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.bytesProgress = Objects.requireNonNull(bytesProgress, "bytesProgress");
    this.stagingDirectory = stagingDirectory.orElse(null);
  }

  /** Fingerprints every file of every entry, reading only index misses, all entries' misses in parallel. */
  public List<Result> fingerprint(List<ScannedEntry> entries, List<FingerprintIndex> indexes) {
    return fingerprint(entries, indexes, (position, result) -> {});
  }

  /**
   * Fingerprints as {@link #fingerprint(List, List)} does, and hands each entry's result to {@code
   * done} (with the entry's position in {@code entries}) as soon as all of its files are fingerprinted,
   * so later stages can start on it while other entries are still read. {@code done} runs on the
   * thread that finished the entry (a pool thread, or this one for an entry with nothing to read);
   * what it throws fails the whole call.
   */
  public List<Result> fingerprint(
      List<ScannedEntry> entries, List<FingerprintIndex> indexes, BiConsumer<Integer, Result> done) {
    int n = entries.size();
    int[] pending = new int[n];
    List<Fingerprint[]> out = new ArrayList<>(n);
    List<Future<long[]>> futures = new ArrayList<>();
    List<Runnable> batch = new ArrayList<>();
    long[] batchBytes = {0};
    long[] hashedBytes = new long[n];
    int[] hashedFiles = new int[n];
    Path[] stagedCopies = new Path[n];
    for (int e = 0; e < n; e++) {
      ScannedEntry entry = entries.get(e);
      FingerprintIndex index = indexes.get(e);
      List<FileRecord> files = entry.files();
      Fingerprint[] results = new Fingerprint[files.size()];
      out.add(results);
      // Held until every miss of this entry is submitted, so a batch that finishes early cannot
      // report the entry done before its later files are even queued.
      synchronized (hashedBytes) {
        pending[e] = 1;
      }
      for (int i = 0; i < files.size(); i++) {
        FileRecord file = files.get(i);
        FingerprintIndex.Entry known = index.entry(FingerprintIndex.key(file));
        if (known != null && known.matches(file)) {
          results[i] = new Fingerprint(file, known.sha256(), Change.UNCHANGED);
          continue;
        }
        if (entry.entry().directory() && !index.existed()) {
          results[i] = new Fingerprint(file, "", Change.DEFERRED);
          continue;
        }
        synchronized (hashedBytes) {
          pending[e]++;
        }
        int slot = i;
        int entryNo = e;
        Path stageTo =
            stagingDirectory != null && !entry.entry().directory()
                ? stagingDirectory.resolve("dependency-" + staged.incrementAndGet() + ".jar")
                : null;
        batch.add(
            () -> {
              Fingerprint f = hash(file, known, stageTo);
              results[slot] = f;
              stagedCopies[entryNo] = stageTo;
              boolean last;
              synchronized (hashedBytes) {
                hashedBytes[entryNo] += f.file().size();
                hashedFiles[entryNo]++;
                last = --pending[entryNo] == 0;
              }
              if (last) {
                done.accept(entryNo, result(entry, results, hashedBytes, hashedFiles, stagedCopies, entryNo));
              }
            });
        batchBytes[0] += file.size();
        if (batchBytes[0] >= BATCH_BYTES || batch.size() >= BATCH_FILES) {
          futures.add(submit(batch));
          batch = new ArrayList<>();
          batchBytes[0] = 0;
        }
      }
      boolean last;
      synchronized (hashedBytes) {
        last = --pending[e] == 0;
      }
      if (last) {
        try {
          done.accept(e, result(entry, results, hashedBytes, hashedFiles, stagedCopies, e));
        } catch (RuntimeException | Error failure) {
          futures.forEach(f -> f.cancel(true));
          throw failure;
        }
      }
    }
    if (!batch.isEmpty()) {
      futures.add(submit(batch));
    }
    io.geneva.internal.concurrent.Tasks.awaitAll(futures, "fingerprinting the classpath");
    List<Result> results = new ArrayList<>(n);
    for (int e = 0; e < n; e++) {
      results.add(result(entries.get(e), out.get(e), hashedBytes, hashedFiles, stagedCopies, e));
    }
    return results;
  }

  private static Result result(
      ScannedEntry entry, Fingerprint[] files, long[] hashedBytes, int[] hashedFiles, Path[] stagedCopies, int e) {
    synchronized (hashedBytes) {
      return new Result(entry, List.of(files), hashedBytes[e], hashedFiles[e], Optional.ofNullable(stagedCopies[e]));
    }
  }

  private Future<long[]> submit(List<Runnable> tasks) {
    return pool.submit(
        () -> {
          for (Runnable t : tasks) {
            t.run();
          }
          return new long[0];
        });
  }

  /**
   * Fingerprints a file again after it was found to have changed: re-stats and re-reads it.
   *
   * @throws PackagingException if it vanished, cannot be read, or keeps changing
   */
  public Fingerprint rehash(Fingerprint changed) {
    FileRecord now;
    try {
      now = restat(changed.file());
    } catch (NoSuchFileException e) {
      throw new PackagingException(
          changed.file().file() + " vanished while it was packed; run again once the classpath is stable", e);
    } catch (IOException e) {
      throw new PackagingException("cannot read " + changed.file().file() + ": " + IoProblems.describe(e), e);
    }
    Fingerprint f = hash(now, null, null);
    return new Fingerprint(f.file(), f.sha256(), Change.CHANGED);
  }

  private Fingerprint hash(FileRecord scanned, FingerprintIndex.Entry known, Path stageTo) {
    FileRecord file = scanned;
    for (int attempt = 1; ; attempt++) {
      Sha256.Hashed hashed;
      try (InputStream in = opener.open(file.file());
          OutputStream copy = stageTo == null ? OutputStream.nullOutputStream() : PrivateFiles.newOutputStream(stageTo)) {
        hashed = hashCounting(in, copy, file.size());
        FileRecord after = restat(file);
        if (hashed.size() == file.size() && after.equals(file)) {
          Change change =
              known == null
                  ? Change.ADDED
                  : known.sha256().equals(hashed.sha256()) ? Change.SAME_CONTENT : Change.CHANGED;
          return new Fingerprint(file, hashed.sha256(), change);
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new PackagingException(
              file.file() + " kept changing while it was read (" + MAX_ATTEMPTS
                  + " attempts); stop whatever writes it, or exclude it, and run again");
        }
        file = after;
      } catch (NoSuchFileException e) {
        throw new PackagingException(
            file.file() + " vanished while it was being fingerprinted; run again once the classpath is stable",
            e);
      } catch (AccessDeniedException e) {
        throw new PackagingException(
            "cannot read " + file.file() + ": permission denied; fix its permissions or exclude it", e);
      } catch (IOException e) {
        throw new PackagingException("cannot read " + file.file() + ": " + IoProblems.describe(e) + "; fix it or exclude it", e);
      }
    }
  }

  /**
   * Hashes (and copies) at most one byte more than the scanned size: enough to see that a file grew,
   * and never more, so a file that keeps growing cannot fill the staging directory.
   */
  private Sha256.Hashed hashCounting(InputStream in, OutputStream copy, long scannedSize) throws IOException {
    var md = Sha256.newDigest();
    byte[] buf = Sha256.buffer();
    long size = 0;
    long limit = scannedSize + 1;
    for (int n; size < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - size))) != -1; ) {
      md.update(buf, 0, n);
      copy.write(buf, 0, n);
      size += n;
      bytesProgress.accept(n);
    }
    return new Sha256.Hashed(Sha256.hex(md.digest()), size);
  }

  /** Stat data of the file now. */
  public static FileRecord restat(FileRecord file) throws IOException {
    return FileRecord.of(file.relativePath(), file.file(), FileStat.of(file.file()));
  }

  /**
   * The index entries this run leaves behind for one entry: digests, racy flags ({@link
   * FingerprintIndex#isRacy}), change history and volatility. For a directory with an index, the
   * result is the index's entries with this run's changes laid over them ({@link EntryOverlay}), so a
   * run that changed a few files of many allocates and saves only those.
   */
  public static Map<String, FingerprintIndex.Entry> nextEntries(
      Result result, FingerprintIndex index, long runStartNanos) {
    boolean overlay = result.entry().entry().directory() && index.existed();
    Map<String, FingerprintIndex.Entry> next =
        new HashMap<>(overlay ? 16 : result.files().size() * 4 / 3 + 1);
    int known = 0;
    for (Fingerprint f : result.files()) {
      FileRecord file = f.file();
      String key = FingerprintIndex.key(file);
      if (overlay
          && f.change() == Change.UNCHANGED
          && index.quiet(key)
          && !FingerprintIndex.isRacy(file, runStartNanos)) {
        // The index vouched for it (so it has an entry) and that entry has nothing to shift or lose.
        known++;
        continue;
      }
      FingerprintIndex.Entry previous = index.entry(key);
      known += previous == null ? 0 : 1;
      if (overlay && unchangedEntry(f, previous, runStartNanos)) {
        continue;
      }
      int history = previous == null ? 0 : previous.history();
      history = ((history << 1) | (f.change() == Change.CHANGED ? 1 : 0)) & 0xFFFF;
      boolean wasVolatile = previous != null && previous.volatileFile();
      // Hysteresis: two changes in the last four runs make a file volatile; sixteen quiet runs undo it.
      boolean isVolatile = wasVolatile ? history != 0 : Integer.bitCount(history & 0xF) >= 2;
      boolean racy = FingerprintIndex.isRacy(file, runStartNanos);
      FingerprintIndex.Entry entry =
          new FingerprintIndex.Entry(
              file.size(), file.mtimeNanos(), file.ctimeNanos(), file.fileKey(), f.sha256(), racy, history,
              isVolatile);
      if (!overlay || !entry.equals(previous)) {
        next.put(key, entry);
      }
    }
    if (!overlay) {
      return next;
    }
    Set<String> removed = new HashSet<>();
    if (known != index.entries().size()) {
      Set<String> present = new HashSet<>(result.files().size() * 4 / 3 + 1);
      for (Fingerprint f : result.files()) {
        present.add(FingerprintIndex.key(f.file()));
      }
      for (String path : index.entries().keySet()) {
        if (!present.contains(path)) {
          removed.add(path);
        }
      }
    }
    return new EntryOverlay(index.liveEntries(), index.liveEventful(), next, removed);
  }

  /** Whether a file is volatile as {@code next} (from {@link #nextEntries}) records it, by relative path. */
  public static java.util.function.Predicate<String> volatility(Map<String, FingerprintIndex.Entry> next) {
    if (next instanceof EntryOverlay overlay) {
      return overlay::volatileFile;
    }
    return path -> {
      FingerprintIndex.Entry e = next.get(path);
      return e != null && e.volatileFile();
    };
  }

  /**
   * Whether the entry this run records for {@code f} is {@code previous} as it is: the index vouched
   * for the file, it has no change history to shift and no volatility to lose, and it is not racy now.
   */
  private static boolean unchangedEntry(Fingerprint f, FingerprintIndex.Entry previous, long runStartNanos) {
    return previous != null
        && f.change() == Change.UNCHANGED
        && previous.history() == 0
        && !previous.volatileFile()
        && previous.matches(f.file())
        && previous.sha256().equals(f.sha256())
        && !FingerprintIndex.isRacy(f.file(), runStartNanos);
  }

  /**
   * Whether this run changed anything the index of a directory entry records (otherwise it need not
   * be rewritten): a file read, added or removed.
   */
  public static boolean changesIndex(Result result, FingerprintIndex index) {
    boolean directory = result.entry().entry().directory();
    if (!index.existed() || (directory && index.entries().size() != result.files().size())) {
      return true;
    }
    for (Fingerprint f : result.files()) {
      if (f.change() != Change.UNCHANGED) {
        return true;
      }
    }
    return false;
  }
}
