package io.geneva.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.FixtureFiles;
import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Planning with the previous plan's keys gives exactly the plan made from scratch. */
class ShardPlannerTest {
  /** A file as the planner sees it: size and content digest, by path. */
  private record File(long size, String sha256, boolean volatileFile) {}

  private static TreeMap<String, File> tree(Random random, int count) {
    TreeMap<String, File> files = new TreeMap<>();
    while (files.size() < count) {
      String path = String.format("com/acme/p%02d/C%05d.class", random.nextInt(40), random.nextInt(100_000));
      files.put(path, file(random, false));
    }
    return files;
  }

  private static File file(Random random, boolean volatileFile) {
    // Mostly small class files, now and then one past the large-file bound.
    long size = random.nextInt(50) == 0 ? ShardPlanner.LARGE_FILE_BYTES + random.nextInt(1000) : 100 + random.nextInt(20_000);
    return new File(size, FixtureFiles.sha256(Long.toString(random.nextLong()).getBytes()), volatileFile);
  }

  private static List<Fingerprint> fingerprints(TreeMap<String, File> files) {
    List<Fingerprint> out = new ArrayList<>(files.size());
    files.forEach((path, f) ->
        out.add(new Fingerprint(new FileRecord(path, Path.of("/x", path), f.size(), 1, 1, 1), f.sha256(), Change.UNCHANGED)));
    return out;
  }

  private static Predicate<String> volatility(TreeMap<String, File> files) {
    return path -> files.get(path).volatileFile();
  }

  /** The memo an index records: each non-volatile shard's bounds, size and key, and the files planned. */
  private static class RecordedPlan implements ShardPlanner.KeyMemo {
    final Map<String, Shard> byFirst = new HashMap<>();
    final Map<String, File> files;
    int reused;

    RecordedPlan(List<Shard> plan, TreeMap<String, File> files) {
      for (Shard s : plan) {
        if (!s.volatileFiles()) {
          byFirst.put(s.files().get(0).file().relativePath(), s);
        }
      }
      this.files = new HashMap<>(files);
    }

    @Override
    public String key(String first, String last, int count) {
      Shard s = byFirst.get(first);
      if (s != null && s.files().size() == count && s.files().get(count - 1).file().relativePath().equals(last)) {
        reused++;
        return s.key();
      }
      return null;
    }

    @Override
    public boolean changed(Fingerprint f, boolean volatileNow) {
      File then = files.get(f.file().relativePath());
      if (volatileNow) {
        return then == null || !then.volatileFile();
      }
      return then == null || then.volatileFile() || then.size() != f.file().size() || !then.sha256().equals(f.sha256());
    }
  }

  private static void edit(Random random, TreeMap<String, File> files) {
    List<String> paths = new ArrayList<>(files.keySet());
    String victim = paths.get(random.nextInt(paths.size()));
    switch (random.nextInt(6)) {
      case 0 -> files.put(victim, new File(files.get(victim).size(), FixtureFiles.sha256(new byte[] {(byte) random.nextInt()}), files.get(victim).volatileFile()));
      case 1 -> files.put(victim, file(random, files.get(victim).volatileFile()));
      case 2 -> files.remove(victim);
      case 3 -> files.put(victim + "x", file(random, false));
      case 4 -> files.put(victim, new File(files.get(victim).size(), files.get(victim).sha256(), !files.get(victim).volatileFile()));
      default -> files.put(String.format("com/acme/p%02d/N%05d.class", random.nextInt(40), random.nextInt(100_000)), file(random, false));
    }
  }

  @Test
  void planWithThePreviousPlansKeys_equalsThePlanFromScratch_afterRandomEdits() {
    Random random = new Random(13);
    int reused = 0;
    for (int round = 0; round < 60; round++) {
      TreeMap<String, File> files = tree(random, 500 + random.nextInt(3000));
      List<Shard> before = ShardPlanner.plan(fingerprints(files), volatility(files));
      RecordedPlan memo = new RecordedPlan(before, files);
      for (int e = 1 + random.nextInt(round % 4 == 0 ? 40 : 3); e > 0; e--) {
        edit(random, files);
      }

      List<Shard> incremental = ShardPlanner.plan(fingerprints(files), volatility(files), memo);
      List<Shard> scratch = ShardPlanner.plan(fingerprints(files), volatility(files));

      assertThat(incremental).as("round %d", round).isEqualTo(scratch);
      reused += memo.reused;
    }
    assertThat(reused).as("keys taken from the previous plan").isPositive();
  }

  @Test
  void recordedKeysDerivedOtherwise_areAllDiscarded() {
    Random random = new Random(5);
    TreeMap<String, File> files = tree(random, 2000);
    List<Shard> before = ShardPlanner.plan(fingerprints(files), volatility(files));
    ShardPlanner.KeyMemo otherFormat =
        new RecordedPlan(before, files) {
          @Override
          public String key(String first, String last, int count) {
            String key = super.key(first, last, count);
            return key == null ? null : FixtureFiles.sha256(("older format " + key).getBytes());
          }
        };

    List<Shard> planned = ShardPlanner.plan(fingerprints(files), volatility(files), otherFormat);

    assertThat(planned).isEqualTo(before);
  }

  @Test
  void unsortedFiles_neverTakeRecordedKeys() {
    Random random = new Random(7);
    TreeMap<String, File> files = tree(random, 1000);
    List<Fingerprint> reversed = new ArrayList<>(fingerprints(files));
    java.util.Collections.reverse(reversed);
    RecordedPlan memo = new RecordedPlan(ShardPlanner.plan(reversed, volatility(files)), files);

    ShardPlanner.plan(reversed, volatility(files), memo);

    assertThat(memo.reused).isZero();
  }

  @Test
  void pathHash_ofAsciiPaths_isTheHashOfTheirUtf8Bytes() {
    Set<String> paths = new HashSet<>(List.of("a", "com/acme/Main.class", "caf\u00e9/x.class", "\u65e5\u672c/y", "z/\ud83d\ude00"));
    for (String path : paths) {
      assertThat(ShardPlanner.pathHash(path)).as(path).isEqualTo(utf8Hash(path));
    }
  }

  private static long utf8Hash(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
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
