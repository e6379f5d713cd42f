package io.geneva.internal.fingerprint;

import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The persistent fingerprint index of one classpath entry: for each file, the fast key (size, mtime,
 * change time, file identity) and the SHA-256 of its content when that key was seen, plus a short history of
 * whether the file changed, and the archives already built for the entry's shards.
 *
 * <p>An entry is trusted only if its fast key matches and it is not <em>racy</em> ({@link #isRacy}):
 * a file written within one timestamp tick of the moment the run that recorded it started may be
 * written again in the same tick without its times moving, so it is hashed again next time (Git's
 * "racily clean" rule).
 *
 * <p>On disk: one file per entry ({@link IndexFormat}): a base holding every record with a CRC32C
 * over it, written to a temporary file and atomically renamed, so concurrent writers never corrupt it
 * (the last one wins, and each wrote a complete, correct index); then a journal of the changes of
 * later runs, appended, so a run that changed one file of 100,000 writes a few hundred bytes, not the
 * whole index. A base that fails its checks is ignored and rebuilt, never trusted; a journal record
 * that fails them is ignored with everything after it. Instances are not thread-safe; the pipeline
 * confines each to one thread at a time.
 */
public final class FingerprintIndex {
  /** Coarsest mtime granularity we guard against (FAT has 2 s; ext4 has 1 ns). */
  public static final long TIMESTAMP_GRANULARITY_NANOS = 2_000_000_000L;

  /**
   * Change times are stamped by the kernel's coarse clock (a tick of at most 10 ms on Linux) on file
   * systems with sub-second times: a write in the same tick as one before the run cannot be later
   * than this window after it, with a margin of two.
   */
  static final long FINE_CHANGE_TIME_GRANULARITY_NANOS = 20_000_000L;

  /**
   * How close to a run's start a file's times make its entry racy: {@link
   * #FINE_CHANGE_TIME_GRANULARITY_NANOS} where the change time has a sub-second part, {@link
   * #TIMESTAMP_GRANULARITY_NANOS} where it has none (a file system with whole-second times, such as
   * ext3 or some remote ones) or the file system keeps no change time (0).
   */
  public static long granularity(long ctimeNanos) {
    return ctimeNanos % 1_000_000_000L == 0 ? TIMESTAMP_GRANULARITY_NANOS : FINE_CHANGE_TIME_GRANULARITY_NANOS;
  }

  /**
   * Whether the entry recorded for {@code file} by a run that started at {@code runStartNanos} (wall
   * clock, nanoseconds since the epoch) must not be trusted next time. The kernel sets the change
   * time on every write and no tool can set it back, so where it has sub-second precision it alone
   * says whether the file may have been written in the same tick as the run (and the mtime, stamped
   * from the same clock at the same precision, adds nothing): a file written just before a run is
   * re-hashed once, not by every run within two seconds of its last write. Without a change time,
   * or with whole-second ones, the mtime and change time are both held to two seconds.
   */
  public static boolean isRacy(FileRecord file, long runStartNanos) {
    long granularity = granularity(file.ctimeNanos());
    if (granularity == FINE_CHANGE_TIME_GRANULARITY_NANOS) {
      return file.ctimeNanos() > runStartNanos - granularity;
    }
    return file.mtimeNanos() > runStartNanos - granularity || file.ctimeNanos() > runStartNanos - granularity;
  }

  /** The shared index of jars is pruned of vanished jars once it has more entries than this. */
  private static final int PRUNE_ABOVE = 4096;
  /** The journal may grow to this fraction of the base before the next save rewrites the whole index. */
  private static final int JOURNAL_FRACTION = 4;

  /**
   * What the index knows of one file.
   *
   * @param size size when hashed
   * @param mtimeNanos mtime when hashed
   * @param ctimeNanos change time when hashed (0 where the file system has none)
   * @param fileKey file identity when hashed
   * @param sha256 hex content digest
   * @param racy whether the fast key cannot be trusted next time
   * @param history one bit per recorded run, newest in bit 0: 1 where the content changed
   * @param volatileFile whether the file is isolated as one that changes on most runs
   */
  public record Entry(
      long size,
      long mtimeNanos,
      long ctimeNanos,
      long fileKey,
      String sha256,
      boolean racy,
      int history,
      boolean volatileFile) {

    /**
     * Whether the next run records something else for this file even if it is unchanged: it has a
     * change history to shift, a volatility to keep or lose, or a racy flag. Few entries are.
     */
    public boolean eventful() {
      return history != 0 || volatileFile || racy;
    }

    /** Whether this entry vouches for a file with this stat data. */
    public boolean matches(FileRecord file) {
      return !racy
          && size == file.size()
          && mtimeNanos == file.mtimeNanos()
          && ctimeNanos == file.ctimeNanos()
          && fileKey == file.fileKey();
    }
  }

  /**
   * An archive built for a shard.
   *
   * @param sha256 hex digest of the archive
   * @param size archive size in bytes
   */
  public record PackedShard(String sha256, long size) {}

  /**
   * A shard of the last run's plan, in classpath order.
   *
   * @param name the shard's display suffix, for example {@code #3}
   * @param key the shard key
   * @param first the relative path of its first file ({@code ""} where its membership is not recorded)
   * @param last the relative path of its last file
   * @param files how many files it holds, or 0 where its membership is not recorded (then the next
   *     plan computes its key again rather than reuse it)
   */
  public record PlannedShard(String name, String key, String first, String last, int files) {
    /** A planned shard whose membership is not recorded. */
    public PlannedShard(String name, String key) {
      this(name, key, "", "", 0);
    }
  }

  private final Path file;
  private final Map<String, Entry> entries;
  private final Map<String, PackedShard> shards;
  private final List<PlannedShard> plan;
  private final boolean existed;
  /** The paths of the {@linkplain Entry#eventful() eventful} entries, kept with {@link #entries}. */
  private final Set<String> eventful;
  /** What a save needs to append to the file as loaded, or null where the next save rewrites it whole. */
  private IndexFormat.Parsed appendTo;

  private FingerprintIndex(Path file, IndexFormat.Parsed parsed, boolean existed) {
    this.file = file;
    this.entries = parsed.entries;
    this.shards = parsed.shards;
    this.plan = parsed.plan;
    this.existed = existed;
    this.eventful = parsed.eventful;
    this.appendTo = parsed.appendable ? parsed : null;
  }

  private static FingerprintIndex empty(Path file) {
    return new FingerprintIndex(file, new IndexFormat.Parsed(new HashMap<>(), new HashMap<>(), new ArrayList<>()), false);
  }

  /** An index written by another version of this format: not damage, just rebuilt. */
  static final class OlderFormatException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** Where the index of a classpath directory lives under {@code indexDirectory}. */
  public static Path fileFor(Path indexDirectory, Path entryPath) {
    return indexDirectory.resolve(Sha256.of(entryPath.toString()).substring(0, 32) + ".idx");
  }

  /**
   * Where the one index shared by all file entries (jars) lives: a classpath has many jars, and one
   * index file each would cost a file creation per jar on every cold start.
   */
  public static Path sharedFileIndex(Path indexDirectory) {
    return indexDirectory.resolve("files.idx");
  }

  /**
   * The key of a file in its index: the path relative to its directory entry, or, for a file entry
   * (a jar, whose relative path is empty), its absolute path in the shared index.
   */
  public static String key(FileRecord file) {
    return file.relativePath().isEmpty() ? file.file().toString() : file.relativePath();
  }

  /**
   * Loads an index, or starts an empty one if there is none or it is unreadable or corrupt.
   *
   * @param problems receives a description when an existing index was corrupt and is being rebuilt
   */
  public static FingerprintIndex load(Path file, java.util.function.Consumer<String> problems) {
    try {
      // Read at its size in one array: InputStream.readAllBytes grows and copies chunks, which for
      // the indexes of 100,000 files was a quarter of an unchanged start's allocation.
      return new FingerprintIndex(file, IndexFormat.read(Files.readAllBytes(file)), true);
    } catch (NoSuchFileException | OlderFormatException e) {
      return empty(file);
    } catch (IOException | RuntimeException e) {
      problems.accept(
          "fingerprint index " + file + " is corrupt (" + e.getMessage()
              + "); ignoring it and hashing the entry's files again");
      return empty(file);
    }
  }

  /** Whether an index existed on disk for this entry (false on the first run or after corruption). */
  public boolean existed() {
    return existed;
  }

  /** The entry for a relative path, whatever its fast key. */
  public Optional<Entry> get(String relativePath) {
    return Optional.ofNullable(entries.get(relativePath));
  }

  /** The archive already built for a shard key, if any. */
  public Optional<PackedShard> shard(String shardKey) {
    return Optional.ofNullable(shards.get(shardKey));
  }

  /** The shards of the run that last wrote this index, in order (empty for the jar index). */
  public List<PlannedShard> plan() {
    return Collections.unmodifiableList(plan);
  }

  /** All entries, read-only. */
  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** The live map of entries, which an {@link EntryOverlay} of the next run's entries reads through. */
  Map<String, Entry> liveEntries() {
    return entries;
  }

  /**
   * Whether the entry for this path, if any, is not {@linkplain Entry#eventful() eventful}: then an
   * unchanged file keeps it as it is, which loops over every file can tell without looking it up.
   */
  public boolean quiet(String path) {
    return eventful.isEmpty() || !eventful.contains(path);
  }

  /** The live set of eventful paths, kept with {@link #liveEntries}. */
  Set<String> liveEventful() {
    return eventful;
  }

  /** The entry for a path, or null: {@link #get} without the {@code Optional}, for loops over every file. */
  public Entry entry(String relativePath) {
    return entries.get(relativePath);
  }

  /**
   * Replaces the content with this run's view and writes it. Where {@code newEntries} are this index's
   * entries with a few changes ({@link Fingerprinter#nextEntries} of a directory) and the journal is
   * small, only the changes are appended; otherwise the whole index is written atomically.
   *
   * @param newEntries every file of the entry as of this run
   * @param usedShards the shards of this run; shards of earlier runs are kept up to a bound so an
   *     edit that is undone finds its old archive again
   * @param newPlan this run's shards in order, so an unchanged run can reuse them without planning
   */
  public void save(
      Map<String, Entry> newEntries, Map<String, PackedShard> usedShards, List<PlannedShard> newPlan)
      throws IOException {
    if (newEntries instanceof EntryOverlay overlay && overlay.over(entries) && append(overlay, usedShards, newPlan)) {
      return;
    }
    Map<String, Entry> all = new HashMap<>(newEntries);
    Map<String, PackedShard> keep = new HashMap<>(usedShards);
    for (Map.Entry<String, PackedShard> old : shards.entrySet()) {
      if (keep.size() >= IndexFormat.MAX_SHARDS) {
        break;
      }
      keep.putIfAbsent(old.getKey(), old.getValue());
    }
    byte[] bytes = IndexFormat.base(all, keep, newPlan);
    AtomicFiles.write(file, bytes);
    entries.clear();
    entries.putAll(all);
    eventful.clear();
    all.forEach((path, e) -> IndexFormat.track(eventful, path, e));
    shards.clear();
    shards.putAll(keep);
    plan.clear();
    plan.addAll(newPlan);
    appendTo = IndexFormat.written(bytes);
  }

  /**
   * Appends this run's changes to the file as loaded; false where the whole index must be written:
   * no format 5 file was loaded, its journal ended damaged, or the journal would pass a quarter of the
   * base. A failed append is not an error: the whole index is written instead.
   */
  private boolean append(EntryOverlay overlay, Map<String, PackedShard> usedShards, List<PlannedShard> newPlan) {
    IndexFormat.Parsed at = appendTo;
    if (at == null) {
      return false;
    }
    Map<String, PackedShard> added = new HashMap<>();
    for (Map.Entry<String, PackedShard> s : usedShards.entrySet()) {
      if (!s.getValue().equals(shards.get(s.getKey()))) {
        added.put(s.getKey(), s.getValue());
      }
    }
    if (shards.size() + added.size() > IndexFormat.MAX_SHARDS) {
      return false;
    }
    IndexFormat.Splice splice = IndexFormat.Splice.between(plan, newPlan);
    try {
      byte[] record = IndexFormat.record(at, overlay.upserts(), overlay.removals(), added, splice);
      if ((long) at.journalBytes + record.length > at.baseBytes / JOURNAL_FRACTION) {
        return false;
      }
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      splice.applyTo(plan);
      at.journalBytes += record.length;
      at.applied++;
    } catch (IOException e) {
      return false;
    }
    for (String path : overlay.removals()) {
      entries.remove(path);
      eventful.remove(path);
    }
    overlay.upserts().forEach((path, e) -> {
      entries.put(path, e);
      IndexFormat.track(eventful, path, e);
    });
    shards.putAll(added);
    return true;
  }

  /**
   * Forgets what the indexes under {@code indexDirectory} record of one classpath entry: the index of a
   * directory entry is deleted, and a jar is removed from the shared index, so the next run hashes it
   * again. Used when an entry was found to disagree with the file's content.
   */
  public static void forget(Path indexDirectory, Path entryPath) throws IOException {
    Files.deleteIfExists(fileFor(indexDirectory, entryPath));
    FingerprintIndex jars = load(sharedFileIndex(indexDirectory), problem -> {});
    if (jars.entries.containsKey(entryPath.toString())) {
      Map<String, Entry> kept = new HashMap<>(jars.entries);
      kept.remove(entryPath.toString());
      jars.save(kept, Map.of(), List.of());
    }
  }

  /**
   * Adds these entries to what is on disk now (re-read, so a concurrent session's additions survive
   * unless it writes in the same instant) and writes atomically. For the shared index of jars.
   */
  public void saveMerged(Map<String, Entry> updates) throws IOException {
    FingerprintIndex current = load(file, problem -> {});
    Map<String, Entry> merged = new HashMap<>(current.entries);
    merged.putAll(updates);
    if (merged.size() > PRUNE_ABOVE) {
      // Every project's jars meet here; forget the ones that are gone (a few hundred stat calls,
      // paid only on a start that hashed a jar).
      merged.keySet().removeIf(path -> !updates.containsKey(path) && !Files.exists(Path.of(path)));
    }
    shards.clear();
    save(merged, Map.of(), List.of());
  }
}
