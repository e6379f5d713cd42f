package io.geneva.internal.fingerprint;

import io.geneva.internal.fingerprint.FingerprintIndex.Entry;
import io.geneva.internal.fingerprint.FingerprintIndex.PackedShard;
import io.geneva.internal.fingerprint.FingerprintIndex.PlannedShard;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The bytes of a fingerprint index file: a base (every entry, checksummed whole) followed by a journal
 * of changes appended since, so that one changed file out of 100,000 appends a few hundred bytes instead
 * of rewriting 16 MB.
 *
 * <p>Format 5, all integers big-endian:
 * <ul>
 *   <li>base: magic {@code GNVIDX5}, base length (int), generation (CRC32 of the body), the body (entries,
 *       archives, plan), and a CRC32C of everything before it;
 *   <li>then journal records, each: length (int), sequence number (int), the base's generation and
 *       CRC32C, entries added or replaced, paths removed, archives added, a splice of the plan, and a
 *       CRC32C of the record.
 * </ul>
 * A record applies only to the base it names and only as the next in sequence: two sessions that
 * append at once both number their record n, and the second is skipped (its session's work is
 * redone next time), so a reader never sees a plan that no session wrote. A record that is cut short
 * or fails its checksum ends the journal: it and everything after it are ignored, and the entries it
 * would have changed keep what the base or earlier records say of the files, which their stat data no
 * longer matches, so those files are hashed again. Format 4 (no journal) still loads.
 */
final class IndexFormat {
  static final long MAGIC = 0x474e5649445835L; // "GNVIDX5"
  static final long MAGIC_4 = 0x474e5649445834L; // "GNVIDX4": no journal, plan without membership
  /** Bytes of an entry besides its path: length, size, mtime, ctime, key, digest, flags, history. */
  static final int ENTRY_FIXED_BYTES = 2 + 8 + 8 + 8 + 8 + 64 + 1 + 2;
  static final int MAX_SHARDS = 8192;
  private static final int BASE_HEADER = 8 + 4 + 8;
  /** length, sequence, generation, base CRC, then the three counts and the splice's three ints. */
  private static final int RECORD_FIXED = 4 + 4 + 8 + 8 + 4 + 4 + 4 + 12 + 8;

  private IndexFormat() {}

  /** An index as read: its state, and what a writer needs to append to it. */
  static final class Parsed {
    final Map<String, Entry> entries;
    final Map<String, PackedShard> shards;
    final List<PlannedShard> plan;
    /** The paths whose entries are {@linkplain Entry#eventful() eventful}. */
    final Set<String> eventful = new HashSet<>();
    /** Whether a journal may be appended: format 5 and no damaged record at the end. */
    boolean appendable;
    long generation;
    long baseCrc;
    int baseBytes;
    /** Bytes of valid records after the base, applied or skipped. */
    int journalBytes;
    /** Records applied: the sequence number of the next one. */
    int applied;

    Parsed(Map<String, Entry> entries, Map<String, PackedShard> shards, List<PlannedShard> plan) {
      this.entries = entries;
      this.shards = shards;
      this.plan = plan;
    }
  }

  /** A change to the plan: {@code remove} shards at {@code from} replaced by {@code insert}. */
  record Splice(int from, int remove, List<PlannedShard> insert) {
    static final Splice NONE = new Splice(0, 0, List.of());

    /** The smallest splice that turns {@code before} into {@code after}. */
    static Splice between(List<PlannedShard> before, List<PlannedShard> after) {
      int prefix = 0;
      int max = Math.min(before.size(), after.size());
      while (prefix < max && before.get(prefix).equals(after.get(prefix))) {
        prefix++;
      }
      int suffix = 0;
      while (suffix < max - prefix
          && before.get(before.size() - 1 - suffix).equals(after.get(after.size() - 1 - suffix))) {
        suffix++;
      }
      return new Splice(
          prefix, before.size() - prefix - suffix, List.copyOf(after.subList(prefix, after.size() - suffix)));
    }

    void applyTo(List<PlannedShard> plan) throws IOException {
      if (from < 0 || remove < 0 || from + remove > plan.size()) {
        throw new IOException("plan splice out of range");
      }
      plan.subList(from, from + remove).clear();
      plan.addAll(from, insert);
    }
  }

  static Parsed read(byte[] bytes) throws IOException {
    if (bytes.length < 24) {
      throw new IOException("truncated");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    long magic = in.getLong(0);
    if (magic == MAGIC_4) {
      return readBase(bytes, bytes.length, 8, false);
    }
    if (magic != MAGIC) {
      // Another version of the format is rebuilt silently, but only if it is intact: a damaged
      // version byte of this one is damage, and reported.
      CRC32C whole = new CRC32C();
      whole.update(bytes, 0, bytes.length - 8);
      if ((magic >>> 8) != (MAGIC >>> 8) || in.getLong(bytes.length - 8) != whole.getValue()) {
        throw new IOException("bad header");
      }
      throw new FingerprintIndex.OlderFormatException();
    }
    int baseBytes = in.getInt(8);
    if (baseBytes < BASE_HEADER + 12 + 8 || baseBytes > bytes.length) {
      throw new IOException("bad base length " + baseBytes);
    }
    Parsed p = readBase(bytes, baseBytes, BASE_HEADER, true);
    p.generation = in.getLong(12);
    p.baseCrc = in.getLong(baseBytes - 8);
    p.baseBytes = baseBytes;
    p.appendable = true;
    readJournal(bytes, baseBytes, p);
    return p;
  }

  /** The bookkeeping of a base just written whole: no journal yet. */
  static Parsed written(byte[] base) {
    ByteBuffer in = ByteBuffer.wrap(base);
    Parsed p = new Parsed(Map.of(), Map.of(), List.of());
    p.appendable = true;
    p.baseBytes = base.length;
    p.generation = in.getLong(12);
    p.baseCrc = in.getLong(base.length - 8);
    return p;
  }

  private static Parsed readBase(byte[] bytes, int end, int bodyAt, boolean withMembership) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, end - 8);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, end);
    if (in.getLong(end - 8) != crc.getValue()) {
      throw new IOException("checksum mismatch");
    }
    in.limit(end - 8);
    in.position(bodyAt);
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / ENTRY_FIXED_BYTES) {
      throw new IOException("bad entry count " + count);
    }
    Map<String, Entry> entries = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
    Set<String> eventful = new HashSet<>();
    readEntries(bytes, in, count, entries, eventful);
    int shardCount = in.getInt();
    if (shardCount < 0 || shardCount > MAX_SHARDS) {
      throw new IOException("bad shard count " + shardCount);
    }
    Map<String, PackedShard> shards = new HashMap<>();
    readShards(bytes, in, shardCount, shards);
    int planCount = in.getInt();
    if (planCount < 0 || planCount > MAX_SHARDS) {
      throw new IOException("bad plan size " + planCount);
    }
    List<PlannedShard> plan = new ArrayList<>(planCount);
    readPlan(bytes, in, planCount, withMembership, plan);
    if (in.hasRemaining()) {
      throw new IOException("trailing bytes");
    }
    Parsed parsed = new Parsed(entries, shards, plan);
    parsed.eventful.addAll(eventful);
    return parsed;
  }

  /**
   * Applies the records after the base that belong to it in sequence; stops at the first damaged one
   * (a crash while appending), which also forbids appending after it.
   */
  private static void readJournal(byte[] bytes, int at, Parsed p) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    while (at < bytes.length) {
      if (bytes.length - at < RECORD_FIXED) {
        p.appendable = false;
        return;
      }
      int length = in.getInt(at);
      if (length < RECORD_FIXED || length > bytes.length - at) {
        p.appendable = false;
        return;
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, at, length - 8);
      if (in.getLong(at + length - 8) != crc.getValue()) {
        p.appendable = false;
        return;
      }
      int sequence = in.getInt(at + 4);
      if (sequence == p.applied && in.getLong(at + 8) == p.generation && in.getLong(at + 16) == p.baseCrc) {
        try {
          applyRecord(bytes, at, length, p);
          p.applied++;
        } catch (IOException | RuntimeException e) {
          // Well-formed by its checksum yet not applicable: written by a broken writer. Nothing after it
          // can be trusted to follow from what came before.
          p.appendable = false;
          return;
        }
      }
      at += length;
      p.journalBytes += length;
    }
  }

  /** Applies one record, or changes nothing if any part of it is malformed. */
  private static void applyRecord(byte[] bytes, int at, int length, Parsed p) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, at + length - 8);
    in.position(at + 24);
    int upserts = in.getInt();
    if (upserts < 0 || upserts > in.remaining() / ENTRY_FIXED_BYTES) {
      throw new IOException("bad entry count " + upserts);
    }
    Map<String, Entry> changed = new HashMap<>();
    readEntries(bytes, in, upserts, changed, null);
    int removals = in.getInt();
    if (removals < 0 || removals > in.remaining() / 2) {
      throw new IOException("bad removal count " + removals);
    }
    List<String> removed = new ArrayList<>(removals);
    for (int i = 0; i < removals; i++) {
      removed.add(utf8(bytes, in));
    }
    int shardCount = in.getInt();
    if (shardCount < 0 || shardCount > MAX_SHARDS) {
      throw new IOException("bad shard count " + shardCount);
    }
    Map<String, PackedShard> shards = new HashMap<>();
    readShards(bytes, in, shardCount, shards);
    int from = in.getInt();
    int remove = in.getInt();
    int inserted = in.getInt();
    if (inserted < 0 || inserted > MAX_SHARDS) {
      throw new IOException("bad plan size " + inserted);
    }
    List<PlannedShard> insert = new ArrayList<>(inserted);
    readPlan(bytes, in, inserted, true, insert);
    if (in.hasRemaining()) {
      throw new IOException("trailing bytes in a journal record");
    }
    List<PlannedShard> plan = new ArrayList<>(p.plan);
    new Splice(from, remove, insert).applyTo(plan);
    p.plan.clear();
    p.plan.addAll(plan);
    removed.forEach(p.entries::remove);
    removed.forEach(p.eventful::remove);
    changed.forEach((path, e) -> track(p.eventful, path, e));
    p.entries.putAll(changed);
    p.shards.putAll(shards);
  }

  /** Keeps {@code eventful} naming exactly the eventful entries as {@code path}'s becomes {@code e}. */
  static void track(Set<String> eventful, String path, Entry e) {
    if (e.eventful()) {
      eventful.add(path);
    } else {
      eventful.remove(path);
    }
  }

  private static void readEntries(
      byte[] bytes, ByteBuffer in, int count, Map<String, Entry> out, Set<String> eventful) throws IOException {
    for (int i = 0; i < count; i++) {
      String path = utf8(bytes, in);
      long size = in.getLong();
      long mtime = in.getLong();
      long ctime = in.getLong();
      long key = in.getLong();
      String digest = ascii(bytes, in);
      int flags = in.get();
      int history = Short.toUnsignedInt(in.getShort());
      Entry e = new Entry(size, mtime, ctime, key, digest, (flags & 1) != 0, history, (flags & 2) != 0);
      out.put(path, e);
      if (eventful != null && e.eventful()) {
        eventful.add(path);
      }
    }
  }

  private static void readShards(byte[] bytes, ByteBuffer in, int count, Map<String, PackedShard> out)
      throws IOException {
    for (int i = 0; i < count; i++) {
      String shardKey = ascii(bytes, in);
      out.put(shardKey, new PackedShard(ascii(bytes, in), in.getLong()));
    }
  }

  private static void readPlan(
      byte[] bytes, ByteBuffer in, int count, boolean withMembership, List<PlannedShard> out) throws IOException {
    for (int i = 0; i < count; i++) {
      String name = utf8(bytes, in);
      String key = ascii(bytes, in);
      if (!withMembership) {
        out.add(new PlannedShard(name, key));
        continue;
      }
      String first = utf8(bytes, in);
      String last = utf8(bytes, in);
      int files = in.getInt();
      if (files < 0) {
        throw new IOException("bad shard size " + files);
      }
      out.add(new PlannedShard(name, key, first, last, files));
    }
  }

  private static String utf8(byte[] bytes, ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > in.remaining()) {
      throw new java.nio.BufferUnderflowException();
    }
    String s = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
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

  /**
   * A whole base: sized exactly first and filled in one array, since an index of 100,000 files is about
   * 16 MB (a stream of per-field writes into a growing buffer cost a fresh process a third of a second).
   */
  static byte[] base(Map<String, Entry> entries, Map<String, PackedShard> shards, List<PlannedShard> plan)
      throws IOException {
    List<Map.Entry<String, Entry>> records = new ArrayList<>(entries.entrySet());
    byte[][] paths = paths(records);
    long size = BASE_HEADER + 4 + entriesBytes(paths) + 4 + shardsBytes(shards) + 4;
    byte[][][] planStrings = planStrings(plan);
    size += planBytes(planStrings) + 8;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("the index of " + records.size() + " files would exceed 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putLong(MAGIC).putInt((int) size).putLong(0);
    putEntries(out, records, paths);
    putShards(out, shards);
    putPlan(out, plan, planStrings);
    finish(out, size);
    CRC32 generation = new CRC32();
    generation.update(out.array(), BASE_HEADER, out.position() - BASE_HEADER);
    out.putLong(12, generation.getValue());
    putCrc(out, 0);
    return out.array();
  }

  /** One journal record for the base {@code p} names, numbered after the records it applied. */
  static byte[] record(
      Parsed p,
      Map<String, Entry> upserts,
      Collection<String> removals,
      Map<String, PackedShard> shards,
      Splice splice)
      throws IOException {
    List<Map.Entry<String, Entry>> records = new ArrayList<>(upserts.entrySet());
    byte[][] paths = paths(records);
    byte[][] removed = new byte[removals.size()][];
    long size = RECORD_FIXED + entriesBytes(paths) + shardsBytes(shards);
    int r = 0;
    for (String path : removals) {
      removed[r] = checkedUtf8(path);
      size += 2 + removed[r++].length;
    }
    byte[][][] planStrings = planStrings(splice.insert());
    size += planBytes(planStrings);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("a journal record of " + records.size() + " files would exceed 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putInt((int) size).putInt(p.applied).putLong(p.generation).putLong(p.baseCrc);
    putEntries(out, records, paths);
    out.putInt(removed.length);
    for (byte[] path : removed) {
      out.putShort((short) path.length).put(path);
    }
    putShards(out, shards);
    out.putInt(splice.from()).putInt(splice.remove());
    putPlan(out, splice.insert(), planStrings);
    finish(out, size);
    putCrc(out, 0);
    return out.array();
  }

  private static void finish(ByteBuffer out, long size) {
    if (out.remaining() != 8) {
      throw new IllegalStateException("index size computed as " + size + " bytes, written " + (out.position() + 8));
    }
  }

  private static void putCrc(ByteBuffer out, int from) {
    CRC32C crc = new CRC32C();
    crc.update(out.array(), from, out.position() - from);
    out.putLong(crc.getValue());
  }

  private static byte[][] paths(List<Map.Entry<String, Entry>> records) throws IOException {
    byte[][] paths = new byte[records.size()][];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = checkedUtf8(records.get(i).getKey());
    }
    return paths;
  }

  private static byte[] checkedUtf8(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IOException("path too long for the index: " + text);
    }
    return bytes;
  }

  private static long entriesBytes(byte[][] paths) {
    long size = 0;
    for (byte[] path : paths) {
      size += path.length + ENTRY_FIXED_BYTES;
    }
    return size;
  }

  private static long shardsBytes(Map<String, PackedShard> shards) {
    return (long) shards.size() * (64 + 64 + 8);
  }

  private static byte[][][] planStrings(List<PlannedShard> plan) throws IOException {
    byte[][][] strings = new byte[plan.size()][][];
    for (int i = 0; i < strings.length; i++) {
      PlannedShard s = plan.get(i);
      strings[i] = new byte[][] {checkedUtf8(s.name()), checkedUtf8(s.first()), checkedUtf8(s.last())};
    }
    return strings;
  }

  private static long planBytes(byte[][][] strings) {
    long size = 0;
    for (byte[][] s : strings) {
      size += 2 + s[0].length + 64 + 2 + s[1].length + 2 + s[2].length + 4;
    }
    return size;
  }

  private static void putEntries(ByteBuffer out, List<Map.Entry<String, Entry>> records, byte[][] paths) {
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
  }

  private static void putShards(ByteBuffer out, Map<String, PackedShard> shards) {
    out.putInt(shards.size());
    for (Map.Entry<String, PackedShard> sh : shards.entrySet()) {
      putAscii(out, sh.getKey());
      putAscii(out, sh.getValue().sha256());
      out.putLong(sh.getValue().size());
    }
  }

  private static void putPlan(ByteBuffer out, List<PlannedShard> plan, byte[][][] strings) {
    out.putInt(plan.size());
    for (int i = 0; i < strings.length; i++) {
      out.putShort((short) strings[i][0].length).put(strings[i][0]);
      putAscii(out, plan.get(i).key());
      out.putShort((short) strings[i][1].length).put(strings[i][1]);
      out.putShort((short) strings[i][2].length).put(strings[i][2]);
      out.putInt(plan.get(i).files());
    }
  }

  /** The low byte of each char: hex digests and keys are ASCII. */
  private static void putAscii(ByteBuffer out, String text) {
    for (int i = 0; i < text.length(); i++) {
      out.put((byte) text.charAt(i));
    }
  }
}
