package io.geneva.internal.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.EntryKind;
import io.geneva.FixtureFiles;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.storage.FileStorage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gc deletes what no kept manifest references, and never what one does. */
class GarbageCollectorTest {
  private static final Instant NOW = Instant.parse("2030-01-10T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path tempDir;

  private FileStorage storage;
  private ObjectKey p1;
  private ObjectKey p2;
  private ObjectKey p3;
  private ObjectKey orphan;
  private ObjectKey oldManifest;
  private ObjectKey newManifest;

  @BeforeEach
  void store() throws IOException {
    storage = FileStorage.open(tempDir.resolve("store"));
    p1 = putPackage(1);
    p2 = putPackage(2);
    p3 = putPackage(3);
    orphan = putPackage(4);
    oldManifest = putManifest(List.of(p1, p2), NOW.minus(Duration.ofDays(5)));
    newManifest = putManifest(List.of(p2, p3), NOW.minus(Duration.ofDays(1)));
    for (ObjectKey p : List.of(p1, p2, p3, orphan)) {
      age(p, NOW.minus(Duration.ofDays(6)));
    }
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private ObjectKey putPackage(int seed) {
    byte[] bytes = FixtureFiles.randomBytes(seed, 1000 + seed);
    String digest = FixtureFiles.sha256(bytes);
    ObjectKey key = ObjectKey.forPackage(digest, "jar");
    storage.put(key, Content.ofBytes(bytes));
    return key;
  }

  private ObjectKey putManifest(List<ObjectKey> packages, Instant written) throws IOException {
    List<Manifest.Package> classpath =
        packages.stream()
            .map(k -> new Manifest.Package(k.path(), k.digest().orElseThrow(), storage.stat(k).orElseThrow().size(), EntryKind.DEPENDENCY))
            .toList();
    byte[] bytes =
        ManifestCodec.encode(
            new Manifest(Manifest.FORMAT_VERSION, classpath, new Manifest.Runtime(17, "linux", "amd64"), List.of(), Map.of(), false));
    ObjectKey key = ObjectKey.forManifest(FixtureFiles.sha256(bytes));
    storage.put(key, Content.ofBytes(bytes));
    age(key, written);
    return key;
  }

  private void age(ObjectKey key, Instant time) throws IOException {
    Files.setLastModifiedTime(storage.directory().resolve(key.path()), FileTime.from(time));
  }

  private List<ObjectKey> remaining() {
    return storage.list("").stream().map(StoredObject::key).toList();
  }

  @Test
  void keepNewest_keepsWhatKeptManifestsReference_andDeletesTheRest() {
    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.of(1), Optional.empty(), false);

    assertThat(result.keptManifests()).containsExactly(newManifest);
    assertThat(result.deleted()).containsExactlyInAnyOrder(oldManifest, p1, orphan);
    assertThat(result.deleted().get(0)).as("manifests go first").isEqualTo(oldManifest);
    assertThat(remaining()).containsExactlyInAnyOrder(newManifest, p2, p3);
    assertThat(result.bytesFreed()).isPositive();
  }

  @Test
  void keepingEveryManifest_deletesOnlyUnreferencedPackages() {
    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.of(10), Optional.empty(), false);

    assertThat(result.deleted()).containsExactly(orphan);
    assertThat(remaining()).containsExactlyInAnyOrder(oldManifest, newManifest, p1, p2, p3);
  }

  @Test
  void olderThan_dropsOlderManifests_andWhatOnlyTheyReference() {
    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.empty(), Optional.of(Duration.ofDays(3)), false);

    assertThat(result.keptManifests()).containsExactly(newManifest);
    assertThat(remaining()).containsExactlyInAnyOrder(newManifest, p2, p3);
  }

  @Test
  void dryRun_reportsButDeletesNothing() {
    List<ObjectKey> before = remaining();

    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.of(1), Optional.empty(), true);

    assertThat(result.deleted()).containsExactlyInAnyOrder(oldManifest, p1, orphan);
    assertThat(remaining()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void unreferencedPackagesYoungerThanTheGracePeriod_areSpared() throws IOException {
    age(orphan, NOW.minus(Duration.ofMinutes(5)));

    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ofHours(1), CLOCK).collect(Optional.of(1), Optional.empty(), false);

    assertThat(result.sparedYoung()).isEqualTo(1);
    assertThat(remaining()).contains(orphan).doesNotContain(p1);
  }

  @Test
  void corruptKeptManifest_deletesNothing_andNamesIt() throws IOException {
    Path file = storage.directory().resolve(newManifest.path());
    byte[] b = Files.readAllBytes(file);
    b[5] ^= 0x20;
    Files.write(file, b);
    age(newManifest, NOW.minus(Duration.ofDays(1)));
    List<ObjectKey> before = remaining();

    assertThatThrownBy(
            () -> new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.of(1), Optional.empty(), false))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(newManifest.path())
        .hasMessageContaining("deleted nothing");

    assertThat(remaining()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void bothOrNeitherRule_isAnIllegalArgument() {
    GarbageCollector gc = new GarbageCollector(storage, Duration.ZERO, CLOCK);

    assertThatThrownBy(() -> gc.collect(Optional.of(1), Optional.of(Duration.ofDays(1)), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> gc.collect(Optional.empty(), Optional.empty(), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // Issue 16 item 5: "newest" meant newest written, so gc --keep 1 could delete the manifest a session
  // had just used; now a manifest used within the grace period is kept, and the result says why.
  @Test
  void keepNewest_alsoKeepsManifestsUsedWithinTheGracePeriod_andSaysWhyEachIsKept() throws IOException {
    age(oldManifest, NOW.minus(Duration.ofMinutes(20)));
    age(newManifest, NOW.minus(Duration.ofMinutes(10)));

    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ofHours(1), CLOCK).collect(Optional.of(1), Optional.empty(), false);

    assertThat(result.kept()).extracting(GarbageCollector.Kept::key).containsExactly(newManifest, oldManifest);
    assertThat(result.kept().get(0).reason()).isEqualTo("one of the 1 most recently used");
    assertThat(result.kept().get(1).reason()).startsWith("used within the grace period (1h)");
    assertThat(result.kept().get(1).lastUsed()).isEqualTo(NOW.minus(Duration.ofMinutes(20)));
    assertThat(result.deleted()).containsExactly(orphan);
  }

  @Test
  void olderThan_saysWhyAManifestIsKept() {
    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ZERO, CLOCK).collect(Optional.empty(), Optional.of(Duration.ofDays(3)), false);

    assertThat(result.kept()).singleElement().satisfies(k -> assertThat(k.reason()).isEqualTo("used within 3d"));
  }

  @Test
  void negativeGrace_isAnIllegalArgument() {
    assertThatThrownBy(() -> new GarbageCollector(storage, Duration.ofSeconds(-1), CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  private ObjectKey putClassData(ObjectKey manifest, String name) throws IOException {
    ObjectKey key = ObjectKey.of("classdata/" + manifest.digest().orElseThrow() + "/" + name);
    storage.put(key, Content.ofBytes(FixtureFiles.randomBytes(name.length(), 300)));
    age(key, NOW.minus(Duration.ofDays(5)));
    return key;
  }

  @Test
  void classDataOfADeletedManifest_goesWithIt_andOfAKeptManifestStays() throws IOException {
    ObjectKey oldArchive = putClassData(oldManifest, "a".repeat(64) + ".aot");
    ObjectKey oldRecord = putClassData(oldManifest, "0123456789abcdef0123456789abcdef.properties");
    ObjectKey newArchive = putClassData(newManifest, "b".repeat(64) + ".jsa");
    ObjectKey newRecord = putClassData(newManifest, "fedcba9876543210fedcba9876543210.properties");

    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ofHours(1), CLOCK).collect(Optional.of(1), Optional.empty(), false);

    assertThat(result.deleted()).contains(oldArchive, oldRecord).doesNotContain(newArchive, newRecord);
    assertThat(remaining()).contains(newArchive, newRecord).doesNotContain(oldArchive, oldRecord);
  }

  @Test
  void youngClassDataWithoutAManifest_isSpared() throws IOException {
    ObjectKey young = ObjectKey.of("classdata/" + "c".repeat(64) + "/" + "d".repeat(64) + ".aot");
    storage.put(young, Content.ofBytes(FixtureFiles.randomBytes(9, 100)));
    age(young, NOW.minus(Duration.ofMinutes(5)));

    GarbageCollector.Result result =
        new GarbageCollector(storage, Duration.ofHours(1), CLOCK).collect(Optional.of(2), Optional.empty(), false);

    assertThat(result.deleted()).doesNotContain(young);
    assertThat(remaining()).contains(young);
  }
}
