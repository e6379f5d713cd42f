package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.fingerprint.FingerprintIndex;
import io.geneva.internal.io.FileStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 items 1 and 12: a file rewritten in place with its size and mtime kept (as {@code touch -r},
 * {@code cp -p} and {@code rsync -t} leave it) is seen as changed, and an index entry that disagrees
 * with its file is replaced instead of failing every later run.
 */
class StaleContentTest {
  @TempDir Path dir;

  private Sandbox sandbox;
  private Path classes;
  private Path data;
  private Path jar;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(dir);
    classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "class A");
    data = FixtureFiles.write(classes.resolve("data.txt"), "v1-data".getBytes(), FixtureFiles.PAST);
    jar = FixtureFiles.write(sandbox.project.resolve("lib/dep.jar"), "jar-v1".getBytes(), FixtureFiles.PAST);
  }

  /** Rewrites a file in place (same inode, same size) and sets its mtime back, as touch -r does. */
  private static void rewriteKeepingSizeAndMtime(Path file, String content) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(file);
    Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    long size = Files.size(file);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, mtime);
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(inode);
  }

  private static PackageReport packageOf(StartupReport report, String sourcePrefix) {
    return report.packages().stream().filter(p -> p.source().startsWith(sourcePrefix)).findFirst().orElseThrow();
  }

  private String storedEntry(Path store, PackageReport shard, String name) throws IOException {
    try (ZipFile zip = new ZipFile(FixtureFiles.storedPackage(store, shard.digest()).toFile())) {
      return new String(zip.getInputStream(zip.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void dataFileRewrittenInPlace_withSizeAndMtimeKept_shipsTheNewContent() throws IOException {
    StartupReport first = sandbox.run(classes);
    rewriteKeepingSizeAndMtime(data, "v2-data");

    StartupReport second = sandbox.run(classes);

    PackageReport shard = packageOf(second, "classes");
    assertThat(shard.digest()).isNotEqualTo(packageOf(first, "classes").digest());
    assertThat(storedEntry(sandbox.store, shard, "data.txt")).isEqualTo("v2-data");
  }

  @Test
  void jarRewrittenInPlace_withSizeAndMtimeKept_shipsUnderItsNewDigest() throws IOException {
    sandbox.run(classes, jar);
    rewriteKeepingSizeAndMtime(jar, "jar-v2");

    StartupReport second = sandbox.run(classes, jar);

    PackageReport shipped = packageOf(second, "dep.jar");
    assertThat(shipped.digest()).isEqualTo(FixtureFiles.sha256("jar-v2".getBytes()));
    assertThat(FixtureFiles.read(sandbox.stored(shipped))).isEqualTo("jar-v2".getBytes());
  }

  @Test
  void staleJarIndexEntry_packagedIntoANewStore_isReplaced_andEveryRunSucceeds() throws IOException {
    sandbox.run(classes, jar);
    // The index vouches for the jar with a digest it does not have (as one written before the change
    // time was part of the fast key would after an in-place rewrite).
    Path jarIndex = FingerprintIndex.sharedFileIndex(sandbox.home.resolve("index"));
    FingerprintIndex index = FingerprintIndex.load(jarIndex, problem -> {});
    FingerprintIndex.Entry real = index.get(jar.toString()).orElseThrow();
    String wrong = FixtureFiles.sha256("jar-v0".getBytes());
    index.saveMerged(Map.of(jar.toString(), withDigest(real, wrong)));
    Sandbox newStore = new Sandbox(dir, sandbox.project, sandbox.home, dir.resolve("store2"));

    StartupReport repaired = newStore.run(classes, jar);
    StartupReport again = newStore.run(classes, jar);

    assertThat(packageOf(repaired, "dep.jar").digest()).isEqualTo(FixtureFiles.sha256("jar-v1".getBytes()));
    assertThat(repaired.warnings()).anyMatch(w -> w.contains(jar.toString()) && w.contains("replaced"));
    assertThat(again.warnings()).isEmpty();
    assertThat(again.bytesUploaded()).isZero();
    assertThat(FingerprintIndex.load(jarIndex, problem -> {}).get(jar.toString()).orElseThrow().sha256())
        .isEqualTo(FixtureFiles.sha256("jar-v1".getBytes()));
  }

  @Test
  void staleDirectoryIndexEntry_packagedIntoANewStore_isReplaced_andEveryRunSucceeds() throws IOException {
    sandbox.run(classes);
    rewriteKeepingSizeAndMtime(data, "v2-data");
    // The directory's index vouches for the rewritten file's stat data with its old digest.
    Path indexFile = FingerprintIndex.fileFor(sandbox.home.resolve("index"), classes);
    FingerprintIndex index = FingerprintIndex.load(indexFile, problem -> {});
    Map<String, FingerprintIndex.Entry> entries = new HashMap<>(index.entries());
    FileRecord now = FileRecord.of("data.txt", data, FileStat.of(data));
    FingerprintIndex.Entry old = entries.get("data.txt");
    entries.put(
        "data.txt",
        new FingerprintIndex.Entry(now.size(), now.mtimeNanos(), now.ctimeNanos(), now.fileKey(), old.sha256(),
            false, old.history(), old.volatileFile()));
    Map<String, FingerprintIndex.PackedShard> shards = new HashMap<>();
    index.plan().forEach(p -> shards.put(p.key(), index.shard(p.key()).orElseThrow()));
    index.save(entries, shards, List.copyOf(index.plan()));
    Sandbox newStore = new Sandbox(dir, sandbox.project, sandbox.home, dir.resolve("store2"));

    StartupReport repaired = newStore.run(classes);
    StartupReport again = newStore.run(classes);

    assertThat(storedEntry(newStore.store, packageOf(repaired, "classes"), "data.txt")).isEqualTo("v2-data");
    assertThat(again.warnings()).isEmpty();
    assertThat(again.bytesUploaded()).isZero();
  }

  private static FingerprintIndex.Entry withDigest(FingerprintIndex.Entry e, String sha256) {
    return new FingerprintIndex.Entry(
        e.size(), e.mtimeNanos(), e.ctimeNanos(), e.fileKey(), sha256, false, e.history(), e.volatileFile());
  }
}
