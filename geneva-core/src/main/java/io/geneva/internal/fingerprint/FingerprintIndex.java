package io.geneva.internal.fingerprint;

import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

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
 * <p>On disk: one file per entry, a magic header, the records, and a CRC32C over all of it. It is
 * written to a temporary file and atomically renamed, so concurrent writers never corrupt it (the
 * last one wins, and each wrote a complete, correct index). A file that fails its checks is ignored
 * and rebuilt, never trusted. Instances are not thread-safe; the pipeline confines each to one
 * thread at a time.
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

  /** Format 4 added the change time; an index of an older format is rebuilt, not reported. */
  private static final long MAGIC = 0x474e5649445834L; // "GNVIDX4"
  /** Bytes of an entry besides its path: length, size, mtime, ctime, key, digest, flags, history. */
  private static final int ENTRY_FIXED_BYTES = 2 + 8 + 8 + 8 + 8 + 64 + 1 + 2;
  private static final int MAX_SHARDS = 8192;
  /** The shared index of jars is pruned of vanished jars once it has more entries than this. */
  private static final int PRUNE_ABOVE = 4096;

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
   */
  public record PlannedShard(String name, String key) {}

  private final Path file;
  private final Map<String, Entry> entries;
  private final Map<String, PackedShard> shards;
  private final List<PlannedShard> plan;
  private final boolean existed;

  private FingerprintIndex(
      Path file,
      Map<String, Entry> entries,
      Map<String, PackedShard> shards,
      List<PlannedShard> plan,
      boolean existed) {
    this.file = file;
    this.entries = entries;
    this.shards = shards;
    this.plan = new ArrayList<>(plan);
    this.existed = existed;
  }

  /** An index written by another version of this format: not damage, just rebuilt. */
  private static final class OlderFormatException extends IOException {
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
      return read(file, Files.readAllBytes(file));
    } catch (NoSuchFileException | OlderFormatException e) {
      return new FingerprintIndex(file, new HashMap<>(), new HashMap<>(), List.of(), false);
    } catch (IOException | RuntimeException e) {
      problems.accept(
          "fingerprint index " + file + " is corrupt (" + e.getMessage()
              + "); ignoring it and hashing the entry's files again");
      return new FingerprintIndex(file, new HashMap<>(), new HashMap<>(), List.of(), false);
    }
  }

  private static FingerprintIndex read(Path file, byte[] bytes) throws IOException {
    // Indexes are small (about 130 bytes a file): reading one whole and parsing it in place is
    // several times faster than a DataInputStream, and this runs on every start.
    if (bytes.length < 24) {
      throw new IOException("truncated");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 8);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getLong(bytes.length - 8) != crc.getValue()) {
      throw new IOException("checksum mismatch");
    }
    in.limit(bytes.length - 8);
    long magic = in.getLong();
    if (magic != MAGIC) {
      throw (magic >>> 8) == (MAGIC >>> 8) ? new OlderFormatException() : new IOException("bad header");
    }
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / ENTRY_FIXED_BYTES) {
      throw new IOException("bad entry count " + count);
    }
    Map<String, Entry> entries = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
    for (int i = 0; i < count; i++) {
      int pathLength = Short.toUnsignedInt(in.getShort());
      String path = new String(bytes, in.position(), pathLength, StandardCharsets.UTF_8);
      in.position(in.position() + pathLength);
      long size = in.getLong();
      long mtime = in.getLong();
      long ctime = in.getLong();
      long key = in.getLong();
      String digest = ascii(bytes, in);
      int flags = in.get();
      int history = Short.toUnsignedInt(in.getShort());
      entries.put(path, new Entry(size, mtime, ctime, key, digest, (flags & 1) != 0, history, (flags & 2) != 0));
    }
    int shardCount = in.getInt();
    if (shardCount < 0 || shardCount > MAX_SHARDS) {
      throw new IOException("bad shard count " + shardCount);
    }
    Map<String, PackedShard> shards = new HashMap<>();
    for (int i = 0; i < shardCount; i++) {
      String shardKey = ascii(bytes, in);
      shards.put(shardKey, new PackedShard(ascii(bytes, in), in.getLong()));
    }
    int planCount = in.getInt();
    if (planCount < 0 || planCount > MAX_SHARDS) {
      throw new IOException("bad plan size " + planCount);
    }
    List<PlannedShard> plan = new ArrayList<>(planCount);
    for (int i = 0; i < planCount; i++) {
      int nameLength = Short.toUnsignedInt(in.getShort());
      String name = new String(bytes, in.position(), nameLength, StandardCharsets.UTF_8);
      in.position(in.position() + nameLength);
      plan.add(new PlannedShard(name, ascii(bytes, in)));
    }
    if (in.hasRemaining()) {
      throw new IOException("trailing bytes");
    }
    return new FingerprintIndex(file, entries, shards, plan, true);
  }

  /** A 64-character hex digest, stored as ASCII so reading it is a copy, not a conversion. */
  private static String ascii(byte[] bytes, ByteBuffer in) throws IOException {
    int at = in.position();
    in.position(at + 64);
    for (int i = at; i < at + 64; i++) {
      byte b = bytes[i];
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        throw new IOException("bad digest");
      }
    }
    return new String(bytes, at, 64, StandardCharsets.ISO_8859_1);
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

  /**
   * Replaces the content with this run's view and writes it atomically.
   *
   * @param newEntries every file of the entry as of this run
   * @param usedShards the shards of this run; shards of earlier runs are kept up to a bound so an
   *     edit that is undone finds its old archive again
   * @param newPlan this run's shards in order, so an unchanged run can reuse them without planning
   */
  public void save(
      Map<String, Entry> newEntries, Map<String, PackedShard> usedShards, List<PlannedShard> newPlan)
      throws IOException {
    Map<String, PackedShard> keep = new HashMap<>(usedShards);
    for (Map.Entry<String, PackedShard> old : shards.entrySet()) {
      if (keep.size() >= MAX_SHARDS) {
        break;
      }
      keep.putIfAbsent(old.getKey(), old.getValue());
    }
    AtomicFiles.write(file, encode(newEntries, keep, newPlan));
    entries.clear();
    entries.putAll(newEntries);
    shards.clear();
    shards.putAll(keep);
    plan.clear();
    plan.addAll(newPlan);
  }

  /**
   * The file's bytes: sized exactly first and filled in one array, since an index of 100,000 files is
   * about 16 MB and rewritten whenever one of them changes (a stream of per-field writes into a
   * growing buffer cost a fresh process a third of a second there).
   */
  private static byte[] encode(
      Map<String, Entry> entries, Map<String, PackedShard> shards, List<PlannedShard> plan) throws IOException {
    List<Map.Entry<String, Entry>> records = new ArrayList<>(entries.entrySet());
    byte[][] paths = new byte[records.size()][];
    long size = 8 + 4;
    for (int i = 0; i < paths.length; i++) {
      paths[i] = records.get(i).getKey().getBytes(StandardCharsets.UTF_8);
      if (paths[i].length > 0xFFFF) {
        throw new IOException("path too long for the index: " + records.get(i).getKey());
      }
      size += 2 + paths[i].length + 4 * 8 + records.get(i).getValue().sha256().length() + 1 + 2;
    }
    size += 4;
    for (Map.Entry<String, PackedShard> sh : shards.entrySet()) {
      size += sh.getKey().length() + sh.getValue().sha256().length() + 8;
    }
    size += 4;
    byte[][] names = new byte[plan.size()][];
    for (int i = 0; i < names.length; i++) {
      names[i] = plan.get(i).name().getBytes(StandardCharsets.UTF_8);
      size += 2 + names[i].length + plan.get(i).key().length();
    }
    size += 8;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("the index of " + records.size() + " files would exceed 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putLong(MAGIC);
    out.putInt(records.size());
    for (int i = 0; i < paths.length; i++) {
      Entry v = records.get(i).getValue();
      out.putShort((short) paths[i].length);
      out.put(paths[i]);
      out.putLong(v.size());
      out.putLong(v.mtimeNanos());
      out.putLong(v.ctimeNanos());
      out.putLong(v.fileKey());
      putAscii(out, v.sha256());
      out.put((byte) ((v.racy() ? 1 : 0) | (v.volatileFile() ? 2 : 0)));
      out.putShort((short) v.history());
    }
    out.putInt(shards.size());
    for (Map.Entry<String, PackedShard> sh : shards.entrySet()) {
      putAscii(out, sh.getKey());
      putAscii(out, sh.getValue().sha256());
      out.putLong(sh.getValue().size());
    }
    out.putInt(plan.size());
    for (int i = 0; i < names.length; i++) {
      out.putShort((short) names[i].length);
      out.put(names[i]);
      putAscii(out, plan.get(i).key());
    }
    if (out.remaining() != 8) {
      throw new IllegalStateException("index size computed as " + size + " bytes, written " + (out.position() + 8));
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    return out.array();
  }

  /** The low byte of each char, as {@link java.io.DataOutput#writeBytes} writes hex digests and keys. */
  private static void putAscii(ByteBuffer out, String text) {
    for (int i = 0; i < text.length(); i++) {
      out.put((byte) text.charAt(i));
    }
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
