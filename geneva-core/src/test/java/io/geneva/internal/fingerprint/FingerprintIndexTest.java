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
  void trailingGarbage_isDetected() throws IOException {
    loadClean(indexFile()).save(entries(3, 0), shards(0), List.of());
    Files.write(indexFile(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    List<String> problems = new ArrayList<>();

    FingerprintIndex index = FingerprintIndex.load(indexFile(), problems::add);

    assertThat(problems).hasSize(1);
    assertThat(index.entries()).isEmpty();
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
}
