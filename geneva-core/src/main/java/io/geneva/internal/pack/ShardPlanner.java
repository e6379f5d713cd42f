package io.geneva.internal.pack;

import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Splits a directory's files (sorted by path) into shards whose membership is stable under edits.
 *
 * <p>Boundaries are content-defined on paths, not contents: a shard ends after a file whose path
 * hashes below a threshold (about one file in {@link #CUT_ONE_IN}), once it holds at least {@link
 * #MIN_FILES} files. Editing a file never moves a boundary, and adding or removing one moves at most
 * the boundary next to it, so one changed file rebuilds one shard. A shard past {@link
 * #TARGET_BYTES} ends at a looser threshold (one file in {@link #CUT_ONE_IN_LARGE}), still chosen by
 * path, so shard sizes stay close to the target without sizes deciding boundaries (FastCDC's
 * "normalized chunking"); only a shard that would pass {@link #MAX_BYTES} is cut by size. A file of
 * {@link #LARGE_FILE_BYTES} or more gets a shard of its own, so a large data file is not re-sent
 * because a small neighbour changed. Files that change on most runs go to one separate, small
 * volatile shard.
 */
public final class ShardPlanner {
  /** On average one file in this many ends a shard. */
  public static final int CUT_ONE_IN = 200;
  /** Past {@link #TARGET_BYTES}, one file in this many ends a shard. */
  public static final int CUT_ONE_IN_LARGE = 8;
  /** No content-defined boundary before a shard has this many files. */
  public static final int MIN_FILES = 16;
  /** The size past which a shard looks harder for a boundary. */
  public static final long TARGET_BYTES = 1L << 20;
  /** A shard ends before its files would pass this size. */
  public static final long MAX_BYTES = 3L << 19;
  /** Files at least this large are alone in their shard. */
  public static final long LARGE_FILE_BYTES = 1L << 20;

  private static final long THRESHOLD = Long.divideUnsigned(-1L, CUT_ONE_IN);
  private static final long THRESHOLD_LARGE = Long.divideUnsigned(-1L, CUT_ONE_IN_LARGE);

  private ShardPlanner() {}

  /**
   * What the previous plan of a directory recorded, so that a shard whose files are those of a shard
   * of that plan keeps its key without its files being hashed into a key again: at scale, computing
   * every shard's key was most of planning 100,000 files when one of them changed. Boundaries are
   * always planned from the files alone; only keys are reused, and only where that is provably the
   * same key (see {@link #plan(List, Predicate, KeyMemo)}).
   */
  public interface KeyMemo {
    /** Nothing recorded: every key is computed. */
    KeyMemo NONE =
        new KeyMemo() {
          @Override
          public String key(String first, String last, int files) {
            return null;
          }

          @Override
          public boolean changed(Fingerprint file, boolean volatileNow) {
            return true;
          }
        };

    /** The key of the previous plan's shard of exactly {@code files} files from {@code first} to {@code last}, or null. */
    String key(String first, String last, int files);

    /**
     * Whether the previous plan saw this file otherwise: absent, another size or digest, or the other
     * side of volatile.
     */
    boolean changed(Fingerprint file, boolean volatileNow);
  }

  /** Plans the shards of one directory; the volatile shard, if any, comes last. */
  public static List<Shard> plan(List<Fingerprint> files, Predicate<String> isVolatile) {
    return plan(files, isVolatile, KeyMemo.NONE);
  }

  /**
   * Plans the shards of one directory, taking keys from {@code memo} where a shard is one of the
   * previous plan's: the same first and last path and number of files, and no file between them changed
   * (nor was removed, which the count catches: the files between the two paths are then the same set).
   * That reasoning needs the paths in one order across runs, so keys are reused only when {@code files}
   * is strictly sorted by path, as the scanner lists them. The plan equals {@link #plan(List, Predicate)}'s.
   */
  public static List<Shard> plan(List<Fingerprint> files, Predicate<String> isVolatile, KeyMemo memo) {
    List<List<Fingerprint>> groups = new ArrayList<>();
    List<Boolean> touched = new ArrayList<>();
    List<Fingerprint> current = new ArrayList<>();
    List<Fingerprint> volatiles = new ArrayList<>();
    long bytes = 0;
    boolean dirty = false;
    boolean sorted = true;
    String previous = null;
    for (Fingerprint f : files) {
      String path = f.file().relativePath();
      sorted &= previous == null || previous.compareTo(path) < 0;
      previous = path;
      boolean isVolatileFile = isVolatile.test(path);
      boolean changed = memo == KeyMemo.NONE || memo.changed(f, isVolatileFile);
      if (isVolatileFile) {
        volatiles.add(f);
        dirty |= changed;
        continue;
      }
      long size = f.file().size();
      boolean large = size >= LARGE_FILE_BYTES;
      if (!current.isEmpty() && (large || bytes + size > MAX_BYTES)) {
        groups.add(current);
        touched.add(dirty);
        current = new ArrayList<>();
        bytes = 0;
        dirty = false;
      }
      current.add(f);
      dirty |= changed;
      bytes += size;
      long threshold = bytes >= TARGET_BYTES ? THRESHOLD_LARGE : THRESHOLD;
      if (large || (current.size() >= MIN_FILES && Long.compareUnsigned(pathHash(path), threshold) < 0)) {
        groups.add(current);
        touched.add(dirty);
        current = new ArrayList<>();
        bytes = 0;
        dirty = false;
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
      touched.add(dirty);
    }
    List<Shard> shards = new ArrayList<>(groups.size() + 1);
    boolean verified = false;
    for (int i = 0; i < groups.size(); i++) {
      List<Fingerprint> group = groups.get(i);
      String name = "#" + i;
      String key =
          sorted && !touched.get(i)
              ? memo.key(group.get(0).file().relativePath(), group.get(group.size() - 1).file().relativePath(), group.size())
              : null;
      if (key != null && !verified) {
        // Keys are derived from the archive format too: one recomputed key that agrees shows the
        // recorded ones were derived as this version derives them; one that disagrees discards them all.
        Shard computed = Shard.of(name, group, false);
        if (!computed.key().equals(key)) {
          return plan(files, isVolatile, KeyMemo.NONE);
        }
        verified = true;
      }
      shards.add(key == null ? Shard.of(name, group, false) : new Shard(name, group, false, key));
    }
    if (!volatiles.isEmpty()) {
      shards.add(Shard.of("#volatile", volatiles, true));
    }
    return shards;
  }

  /**
   * FNV-1a over the path's UTF-8 bytes with a SplitMix64 finish: fast, and fixed forever so plans agree
   * across versions. An ASCII path is hashed from its chars, which are its UTF-8 bytes, without encoding it.
   */
  static long pathHash(String path) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c >= 0x80) {
        return pathHashUtf8(path);
      }
      h ^= c;
      h *= 0x100000001b3L;
    }
    return finish(h);
  }

  private static long pathHashUtf8(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return finish(h);
  }

  private static long finish(long h) {
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
