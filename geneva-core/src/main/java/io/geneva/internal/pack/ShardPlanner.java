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

  /** Plans the shards of one directory; the volatile shard, if any, comes last. */
  public static List<Shard> plan(List<Fingerprint> files, Predicate<String> isVolatile) {
    List<Shard> shards = new ArrayList<>();
    List<Fingerprint> current = new ArrayList<>();
    List<Fingerprint> volatiles = new ArrayList<>();
    long bytes = 0;
    for (Fingerprint f : files) {
      String path = f.file().relativePath();
      if (isVolatile.test(path)) {
        volatiles.add(f);
        continue;
      }
      long size = f.file().size();
      boolean large = size >= LARGE_FILE_BYTES;
      if (!current.isEmpty() && (large || bytes + size > MAX_BYTES)) {
        shards.add(Shard.of("#" + shards.size(), current, false));
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(f);
      bytes += size;
      long threshold = bytes >= TARGET_BYTES ? THRESHOLD_LARGE : THRESHOLD;
      if (large || (current.size() >= MIN_FILES && Long.compareUnsigned(pathHash(path), threshold) < 0)) {
        shards.add(Shard.of("#" + shards.size(), current, false));
        current = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!current.isEmpty()) {
      shards.add(Shard.of("#" + shards.size(), current, false));
    }
    if (!volatiles.isEmpty()) {
      shards.add(Shard.of("#volatile", volatiles, true));
    }
    return shards;
  }

  /** FNV-1a with a SplitMix64 finish: fast, and fixed forever so plans agree across versions. */
  static long pathHash(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
