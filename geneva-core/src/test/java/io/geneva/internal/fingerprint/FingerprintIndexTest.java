package io.geneva.internal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.FixtureFiles;
import io.geneva.internal.classpath.FileRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk fingerprint index: round trip, the racy rule, corruption, concurrent writers. */
class FingerprintIndexTest {
  @TempDir Path tempDir;

  private static String digest(int n) {
    return FixtureFiles.sha256(new byte[] {(byte) n});
  }

  private static Map<String, FingerprintIndex.Entry> entries(int count, int variant) {
    Map<String, FingerprintIndex.Entry> out = new HashMap<>();
    for (int i = 0; i < count; i++) {
      out.put(
          "com/acme/File" + i + ".class",
          new FingerprintIndex.Entry(100 + i + variant, 1_600_000_000_000_000_000L + i, 1_600_000_000_000_000_000L + i, 7 + i, digest(i + variant), false, i & 0xF, i % 5 == 0));
    }
    return out;
  }

  private static Map<String, FingerprintIndex.PackedShard> shards(int variant) {
    return Map.of(digest(200 + variant), new FingerprintIndex.PackedShard(digest(300 + variant), 4096 + variant));
  }

  private Path indexFile() {
    return FingerprintIndex.fileFor(tempDir.resolve("index"), tempDir.resolve("classes"));
  }

  private static FingerprintIndex loadClean(Path file) {
    List<String> problems = new ArrayList<>();
    FingerprintIndex index = FingerprintIndex.load(file, problems::add);
    assertThat(problems).as("problems loading %s", file).isEmpty();
    return index;
  }

  @Test
  void saveThenLoad_roundTripsEntriesAndShards() throws IOException {
    FingerprintIndex index = loadClean(indexFile());
    assertThat(index.existed()).isFalse();

    index.save(entries(50, 0), shards(0), List.of());
    FingerprintIndex loaded = loadClean(indexFile());

    assertThat(loaded.existed()).isTrue();
    assertThat(loaded.entries()).isEqualTo(entries(50, 0));
    assertThat(loaded.shard(digest(200))).contains(new FingerprintIndex.PackedShard(digest(300), 4096));
    assertThat(loaded.shard(digest(201))).isEmpty();
  }

  @Test
  void save_keepsShardsOfEarlierRuns_soAnUndoneEditFindsItsOldArchive() throws IOException {
    FingerprintIndex index = loadClean(indexFile());
    index.save(entries(3, 0), shards(0), List.of());

    index.save(entries(3, 1), shards(1), List.of());

    FingerprintIndex loaded = loadClean(indexFile());
    assertThat(loaded.shard(digest(200))).isPresent();
    assertThat(loaded.shard(digest(201))).isPresent();
  }

  @Test
  void entry_matchesOnlyTheExactFastKey_andNeverWhenRacy() {
    FingerprintIndex.Entry entry = new FingerprintIndex.Entry(10, 1000, 2000, 5, digest(1), false, 0, false);
    FingerprintIndex.Entry racy = new FingerprintIndex.Entry(10, 1000, 2000, 5, digest(1), true, 0, false);
    Path p = Path.of("x");

    assertThat(entry.matches(new FileRecord("x", p, 10, 1000, 2000, 5))).isTrue();
    assertThat(entry.matches(new FileRecord("x", p, 11, 1000, 2000, 5))).isFalse();
    assertThat(entry.matches(new FileRecord("x", p, 10, 1001, 2000, 5))).isFalse();
    assertThat(entry.matches(new FileRecord("x", p, 10, 1000, 2000, 6))).as("another inode").isFalse();
    assertThat(entry.matches(new FileRecord("x", p, 10, 1000, 2001, 5))).as("written since, mtime restored").isFalse();
    assertThat(racy.matches(new FileRecord("x", p, 10, 1000, 2000, 5))).isFalse();
  }

  @Test
  void indexOfTheFormatBeforeChangeTimes_isRebuiltSilently_notReportedAsCorrupt() throws IOException {
    // Format 3 ("GNVIDX3") had no change time: its entries cannot vouch for anything now.
    java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(8 + 4 + 4 + 4 + 8);
    old.putLong(0x474e5649445833L).putInt(0).putInt(0).putInt(0);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(old.array(), 0, old.position());
    old.putLong(crc.getValue());
    Files.createDirectories(indexFile().getParent());
    Files.write(indexFile(), old.array());

    FingerprintIndex index = loadClean(indexFile());

    assertThat(index.existed()).isFalse();
    assertThat(index.entries()).isEmpty();
  }

  @Test
  void forget_removesAJarFromTheSharedIndex_andDeletesADirectorysIndex() throws IOException {
    Path indexDir = tempDir.resolve("index");
    Path jar = tempDir.resolve("lib/a.jar");
    Path classes = tempDir.resolve("classes");
    FingerprintIndex jars = loadClean(FingerprintIndex.sharedFileIndex(indexDir));
    Map<String, FingerprintIndex.Entry> both = new HashMap<>(entries(2, 0));
    both.put(jar.toString(), entries(1, 9).values().iterator().next());
    jars.saveMerged(both);
    loadClean(FingerprintIndex.fileFor(indexDir, classes)).save(entries(3, 0), shards(0), List.of());

    FingerprintIndex.forget(indexDir, jar);
    FingerprintIndex.forget(indexDir, classes);

    assertThat(loadClean(FingerprintIndex.sharedFileIndex(indexDir)).entries())
        .doesNotContainKey(jar.toString())
        .containsKeys(entries(2, 0).keySet().toArray(String[]::new));
    assertThat(FingerprintIndex.fileFor(indexDir, classes)).doesNotExist();
  }

  @Test
  void missingIndex_loadsEmpty_withoutAProblem() {
    FingerprintIndex index = loadClean(tempDir.resolve("index/none.idx"));

    assertThat(index.existed()).isFalse();
    assertThat(index.entries()).isEmpty();
  }

  @Test
  void everyTruncation_isDetected_andNothingIsTrusted() throws IOException {
    loadClean(indexFile()).save(entries(3, 0), shards(0), List.of());
    byte[] whole = Files.readAllBytes(indexFile());

    for (int length = 0; length < whole.length; length++) {
      Files.write(indexFile(), java.util.Arrays.copyOf(whole, length));
      List<String> problems = new ArrayList<>();

      FingerprintIndex index = FingerprintIndex.load(indexFile(), problems::add);

      assertThat(problems).as("truncated to %d of %d bytes", length, whole.length).singleElement()
          .satisfies(p -> assertThat(p).contains(indexFile().toString()).contains("corrupt"));
      assertThat(index.entries()).isEmpty();
      assertThat(index.existed()).isFalse();
    }
  }

  @Test
  void everySingleBitFlip_isDetected_andNothingIsTrusted() throws IOException {
    loadClean(indexFile()).save(entries(3, 0), shards(0), List.of());
    byte[] whole = Files.readAllBytes(indexFile());

    for (int i = 0; i < whole.length; i++) {
      byte[] damaged = whole.clone();
      damaged[i] ^= (byte) (1 << (i % 8));
      Files.write(indexFile(), damaged);
      List<String> problems = new ArrayList<>();

      FingerprintIndex index = FingerprintIndex.load(indexFile(), problems::add);

      assertThat(problems).as("bit flipped in byte %d", i).hasSize(1);
      assertThat(index.entries()).isEmpty();
    }
  }

  @Test
  void trailingGarbage_isATornJournalTail_ignored_andTheNextSaveRewritesTheWholeIndex() throws IOException {
    loadClean(indexFile()).save(entries(3, 0), shards(0), List.of());
    byte[] whole = Files.readAllBytes(indexFile());
    Files.write(indexFile(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    FingerprintIndex index = loadClean(indexFile());
    assertThat(index.entries()).isEqualTo(entries(3, 0));

    index.save(entries(3, 0), shards(0), List.of());
    assertThat(Files.readAllBytes(indexFile())).isEqualTo(whole);
  }

  @Test
  void concurrentSavesFromSeparateInstances_neverLeaveAnUnreadableIndex() throws Exception {
    Path file = indexFile();
    Map<String, FingerprintIndex.Entry> a = entries(400, 0);
    Map<String, FingerprintIndex.Entry> b = entries(300, 1);
    int rounds = 60;
    CyclicBarrier start = new CyclicBarrier(3);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      Future<?> writerA = executor.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        for (int i = 0; i < rounds; i++) {
          FingerprintIndex.load(file, p -> {}).save(a, shards(0), List.of());
        }
        return null;
      });
      Future<?> writerB = executor.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        for (int i = 0; i < rounds; i++) {
          FingerprintIndex.load(file, p -> {}).save(b, shards(1), List.of());
        }
        return null;
      });
      Future<Integer> reader = executor.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        int reads = 0;
        while (writing.get() || reads == 0) {
          List<String> problems = new ArrayList<>();
          FingerprintIndex seen = FingerprintIndex.load(file, problems::add);
          assertThat(problems).as("read %d while two instances save", reads).isEmpty();
          if (seen.existed()) {
            assertThat(seen.entries()).isIn(a, b);
          }
          reads++;
        }
        return reads;
      });
      writerA.get(60, TimeUnit.SECONDS);
      writerB.get(60, TimeUnit.SECONDS);
      writing.set(false);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    } finally {
      writing.set(false);
      executor.shutdownNow();
    }

    FingerprintIndex last = loadClean(file);
    assertThat(last.entries()).isIn(a, b);
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertThat(left).as("no temporary files left behind").containsExactly(file);
    }
  }

  // The journal: a run that changed a few entries appends them instead of rewriting the index.

  private static List<FingerprintIndex.PlannedShard> plan(int variant) {
    List<FingerprintIndex.PlannedShard> plan = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      plan.add(new FingerprintIndex.PlannedShard("#" + i, digest(400 + i + (i == 3 ? variant : 0)),
          "com/acme/File" + (i * 10) + ".class", "com/acme/File" + (i * 10 + 9) + ".class", 10));
    }
    return plan;
  }

  /** The entries of {@code index} with one changed, one added and one removed: what a run records. */
  private static EntryOverlay changes(FingerprintIndex index, int variant) {
    Map<String, FingerprintIndex.Entry> upserts = new HashMap<>();
    upserts.put("com/acme/File7.class", entries(8, variant).get("com/acme/File7.class"));
    upserts.put("com/acme/New" + variant + ".class", entries(1, variant).get("com/acme/File0.class"));
    return new EntryOverlay(index.liveEntries(), index.liveEventful(), upserts, java.util.Set.of("com/acme/File" + (20 + variant) + ".class"));
  }

  /** The index's quick answer for unchanged files agrees with its entries. */
  private static void assertQuietMatchesEntries(FingerprintIndex index) {
    index.entries().forEach((path, e) -> assertThat(index.quiet(path)).as(path).isEqualTo(!e.eventful()));
  }

  private static Map<String, FingerprintIndex.Entry> materialized(Map<String, FingerprintIndex.Entry> overlay) {
    return new HashMap<>(overlay);
  }

  @Test
  void fewChangedEntries_areAppended_andLoadAsIfTheWholeIndexWereWritten() throws IOException {
    FingerprintIndex index = loadClean(indexFile());
    index.save(entries(1000, 0), shards(0), plan(0));
    byte[] base = Files.readAllBytes(indexFile());

    EntryOverlay next = changes(loadClean(indexFile()), 1);
    Map<String, FingerprintIndex.Entry> expected = materialized(next);
    FingerprintIndex reloaded = loadClean(indexFile());
    reloaded.save(changes(reloaded, 1), shards(1), plan(1));

    byte[] now = Files.readAllBytes(indexFile());
    assertThat(now.length - base.length).as("bytes appended").isPositive().isLessThan(1500);
    assertThat(java.util.Arrays.copyOf(now, base.length)).as("the base is not rewritten").isEqualTo(base);
    FingerprintIndex loaded = loadClean(indexFile());
    assertThat(loaded.entries()).isEqualTo(expected).isEqualTo(reloaded.entries());
    assertQuietMatchesEntries(loaded);
    assertQuietMatchesEntries(reloaded);
    assertThat(loaded.plan()).isEqualTo(plan(1));
    assertThat(loaded.shard(digest(200))).isPresent();
    assertThat(loaded.shard(digest(201))).isPresent();
  }

  /** A base and two appended records, and the three states a reader may rightly see. */
  private List<Map<String, FingerprintIndex.Entry>> baseAndTwoRecords() throws IOException {
    loadClean(indexFile()).save(entries(200, 0), shards(0), plan(0));
    List<Map<String, FingerprintIndex.Entry>> states = new ArrayList<>();
    states.add(entries(200, 0));
    for (int variant = 1; variant <= 2; variant++) {
      FingerprintIndex index = loadClean(indexFile());
      EntryOverlay next = changes(index, variant);
      states.add(materialized(next));
      index.save(next, shards(variant), plan(variant));
    }
    assertThat(loadClean(indexFile()).entries()).isEqualTo(states.get(2));
    return states;
  }

  @Test
  void everyTruncationOfTheJournal_loadsAStateThatWasWritten_andNothingElse() throws IOException {
    List<Map<String, FingerprintIndex.Entry>> states = baseAndTwoRecords();
    byte[] whole = Files.readAllBytes(indexFile());
    int baseLength = java.nio.ByteBuffer.wrap(whole).getInt(8);

    for (int length = baseLength; length < whole.length; length++) {
      Files.write(indexFile(), java.util.Arrays.copyOf(whole, length));

      FingerprintIndex index = loadClean(indexFile());

      assertThat(index.entries()).as("cut to %d of %d bytes", length, whole.length).isIn(states.subList(0, 2));
      assertQuietMatchesEntries(index);
    }
  }

  @Test
  void everyBitFlip_isReported_orIgnoredWithTheRestOfTheJournal_neverTrusted() throws IOException {
    List<Map<String, FingerprintIndex.Entry>> states = baseAndTwoRecords();
    byte[] whole = Files.readAllBytes(indexFile());
    int baseLength = java.nio.ByteBuffer.wrap(whole).getInt(8);

    for (int i = 0; i < whole.length; i += (i < baseLength ? 7 : 1)) {
      byte[] damaged = whole.clone();
      damaged[i] ^= (byte) (1 << (i % 8));
      Files.write(indexFile(), damaged);
      List<String> problems = new ArrayList<>();

      FingerprintIndex index = FingerprintIndex.load(indexFile(), problems::add);

      if (i < baseLength) {
        assertThat(problems).as("bit flipped in byte %d of the base", i).hasSize(1);
        assertThat(index.entries()).isEmpty();
      } else {
        assertThat(problems).as("bit flipped in byte %d of the journal", i).isEmpty();
        assertThat(index.entries()).as("bit flipped in byte %d of the journal", i).isIn(states.subList(0, 2));
      }
    }
  }

  @Test
  void twoSessionsAppendingToTheSameState_theSecondRecordIsSkipped_andLaterOnesStillApply() throws IOException {
    loadClean(indexFile()).save(entries(300, 0), shards(0), plan(0));
    FingerprintIndex a = loadClean(indexFile());
    FingerprintIndex b = loadClean(indexFile());
    EntryOverlay fromA = changes(a, 1);
    Map<String, FingerprintIndex.Entry> afterA = materialized(fromA);

    a.save(fromA, shards(1), plan(1));
    b.save(changes(b, 2), shards(2), plan(2));

    FingerprintIndex loaded = loadClean(indexFile());
    assertThat(loaded.entries()).isEqualTo(afterA);
    assertThat(loaded.plan()).isEqualTo(plan(1));
    EntryOverlay third = changes(loaded, 3);
    Map<String, FingerprintIndex.Entry> afterThird = materialized(third);
    loaded.save(third, shards(3), plan(3));
    assertThat(loadClean(indexFile()).entries()).isEqualTo(afterThird);
  }

  @Test
  void aRecordForAnIndexSinceRewrittenWhole_isNotApplied() throws IOException {
    loadClean(indexFile()).save(entries(300, 0), shards(0), plan(0));
    FingerprintIndex stale = loadClean(indexFile());
    EntryOverlay late = changes(stale, 1);
    loadClean(indexFile()).save(entries(300, 5), shards(5), plan(5));

    stale.save(late, shards(1), plan(1));

    FingerprintIndex loaded = loadClean(indexFile());
    assertThat(loaded.entries()).isEqualTo(entries(300, 5));
    assertThat(loaded.plan()).isEqualTo(plan(5));
  }

  @Test
  void aJournalPastAQuarterOfTheBase_isFoldedIntoANewBase() throws IOException {
    loadClean(indexFile()).save(entries(40, 0), shards(0), plan(0));
    long baseSize = Files.size(indexFile());
    Map<String, FingerprintIndex.Entry> expected = null;
    boolean shrank = false;
    for (int variant = 1; variant <= 12 && !shrank; variant++) {
      long before = Files.size(indexFile());
      FingerprintIndex index = loadClean(indexFile());
      EntryOverlay next = changes(index, variant);
      expected = materialized(next);
      index.save(next, shards(variant), plan(variant));
      shrank = Files.size(indexFile()) < before;
      assertThat(Files.size(indexFile())).isLessThanOrEqualTo(baseSize + baseSize / 4 + 1500);
    }

    assertThat(shrank).as("the journal was folded into the base").isTrue();
    assertThat(loadClean(indexFile()).entries()).isEqualTo(expected);
  }

  @Test
  void indexOfFormat4_loads_andTheNextSaveWritesFormat5() throws IOException {
    Map<String, FingerprintIndex.Entry> entries = entries(20, 0);
    Files.createDirectories(indexFile().getParent());
    Files.write(indexFile(), format4(entries, digest(200), new FingerprintIndex.PackedShard(digest(300), 4096),
        new FingerprintIndex.PlannedShard("#0", digest(200))));

    FingerprintIndex index = loadClean(indexFile());
    assertThat(index.existed()).isTrue();
    assertThat(index.entries()).isEqualTo(entries);
    assertThat(index.plan()).containsExactly(new FingerprintIndex.PlannedShard("#0", digest(200)));
    assertThat(index.shard(digest(200))).contains(new FingerprintIndex.PackedShard(digest(300), 4096));

    EntryOverlay next = changes(index, 1);
    Map<String, FingerprintIndex.Entry> expected = materialized(next);
    index.save(next, shards(1), plan(1));
    assertThat(java.nio.ByteBuffer.wrap(Files.readAllBytes(indexFile())).getLong()).isEqualTo(IndexFormat.MAGIC);
    assertThat(loadClean(indexFile()).entries()).isEqualTo(expected);
  }

  @Test
  void concurrentAppendsAndRewrites_neverShowAReaderAStateNoSessionWrote() throws Exception {
    Path file = indexFile();
    loadClean(file).save(entries(400, 0), shards(0), plan(0));
    java.util.Set<Map<String, FingerprintIndex.Entry>> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    written.add(entries(400, 0));
    CyclicBarrier start = new CyclicBarrier(3);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        writers.add(executor.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          for (int i = 0; i < 40; i++) {
            FingerprintIndex index = FingerprintIndex.load(file, p -> {});
            int variant = 1 + (writer * 40 + i) % 9;
            EntryOverlay next = changes(index, variant);
            written.add(materialized(next));
            index.save(next, shards(variant), plan(variant));
          }
          return null;
        }));
      }
      Future<Integer> reader = executor.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        int reads = 0;
        while (writing.get() || reads == 0) {
          List<String> problems = new ArrayList<>();
          FingerprintIndex seen = FingerprintIndex.load(file, problems::add);
          assertThat(problems).as("read %d", reads).isEmpty();
          assertThat(seen.entries()).as("read %d", reads).isIn(written);
          reads++;
        }
        return reads;
      });
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    } finally {
      writing.set(false);
      executor.shutdownNow();
    }
    FingerprintIndex last = loadClean(file);
    assertThat(last.entries()).isIn(written);
    assertQuietMatchesEntries(last);
  }

  /** An index as the previous version wrote it: format 4, no journal, plan without membership. */
  private static byte[] format4(
      Map<String, FingerprintIndex.Entry> entries, String shardKey, FingerprintIndex.PackedShard shard,
      FingerprintIndex.PlannedShard planned) {
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(1 << 16);
    out.putLong(IndexFormat.MAGIC_4).putInt(entries.size());
    entries.forEach((path, e) -> {
      byte[] p = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.putShort((short) p.length).put(p).putLong(e.size()).putLong(e.mtimeNanos()).putLong(e.ctimeNanos())
          .putLong(e.fileKey()).put(e.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .put((byte) ((e.racy() ? 1 : 0) | (e.volatileFile() ? 2 : 0))).putShort((short) e.history());
    });
    out.putInt(1).put(shardKey.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .put(shard.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putLong(shard.size());
    byte[] name = planned.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.putInt(1).putShort((short) name.length).put(name).put(planned.key().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    return java.util.Arrays.copyOf(out.array(), out.position());
  }
}
