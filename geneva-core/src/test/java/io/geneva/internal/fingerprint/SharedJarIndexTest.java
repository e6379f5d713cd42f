package io.geneva.internal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedJarIndexTest {
  @TempDir Path dir;

  private static FingerprintIndex.Entry entry() {
    return new FingerprintIndex.Entry(1, 2, 2, 3, "ab".repeat(32), false, 0, false);
  }

  @Test
  void saveMerged_keepsWhatAnotherSessionAddedMeanwhile() throws IOException {
    Path file = FingerprintIndex.sharedFileIndex(dir);
    FingerprintIndex mine = FingerprintIndex.load(file, p -> {});
    FingerprintIndex.load(file, p -> {}).saveMerged(Map.of("/other/session.jar", entry()));

    mine.saveMerged(Map.of("/my/session.jar", entry()));

    assertThat(FingerprintIndex.load(file, p -> {}).entries()).containsKeys("/other/session.jar", "/my/session.jar");
  }

  @Test
  void largeSharedIndex_forgetsJarsThatNoLongerExist_butKeepsLiveOnes() throws IOException {
    Path live = Files.writeString(dir.resolve("live.jar"), "x");
    Map<String, FingerprintIndex.Entry> many = new HashMap<>();
    for (int i = 0; i < 5000; i++) {
      many.put(dir.resolve("gone-" + i + ".jar").toString(), entry());
    }
    many.put(live.toString(), entry());
    Path file = FingerprintIndex.sharedFileIndex(dir.resolve("index"));
    FingerprintIndex.load(file, p -> {}).save(many, Map.of(), List.of());

    FingerprintIndex.load(file, p -> {}).saveMerged(Map.of("/new/one.jar", entry()));

    assertThat(FingerprintIndex.load(file, p -> {}).entries()).containsOnlyKeys(live.toString(), "/new/one.jar");
  }
}
