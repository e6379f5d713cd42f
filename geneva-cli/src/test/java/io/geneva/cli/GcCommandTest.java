package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.geneva.internal.publish.KnownObjects;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcCommandTest {
  @TempDir Path dir;
  Workspace ws;
  JsonNode first;
  JsonNode second;

  /** Two packages of different content; the first one's objects are an hour old. */
  @BeforeEach
  void packageTwoVersions() throws IOException {
    ws = new Workspace(dir);
    first = ws.packageJson();
    ageEverythingInStorage();
    ws.write("com/example/Two.txt", "two, changed", Instant.parse("2021-01-01T00:00:00Z"));
    second = ws.packageJson();
  }

  private void ageEverythingInStorage() throws IOException {
    FileTime anHourAgo = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
    try (Stream<Path> files = Files.walk(ws.storage)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          Files.setLastModifiedTime(p, anHourAgo);
        }
      }
    }
  }

  private Path packageFile(JsonNode report, int index) {
    String digest = report.get("packages").get(index).get("digest").asText();
    try (Stream<Path> files = Files.walk(ws.storage.resolve("packages"))) {
      return files.filter(p -> p.getFileName().toString().startsWith(digest)).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Cli.Result gc(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "gc", "--storage", ws.storage.toString(), "--home", ws.home.toString(), "--grace", "0s"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void gc_keep1_deletesTheOldManifestAndItsUnreferencedPackagesOnly() {
    Path oldManifest = ws.manifestFile(first.get("manifestDigest").asText());
    Path newManifest = ws.manifestFile(second.get("manifestDigest").asText());
    Path oldClasses = packageFile(first, 0);
    Path newClasses = packageFile(second, 0);
    Path jar = packageFile(second, 1);

    Cli.Result r = gc("--keep", "1");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("kept 1 manifest").contains("deleted 2 objects");
    assertThat(oldManifest).doesNotExist();
    assertThat(oldClasses).doesNotExist();
    assertThat(newManifest).isRegularFile();
    assertThat(newClasses).isRegularFile();
    assertThat(jar).isRegularFile();
  }

  @Test
  void gc_dryRun_listsWhatItWouldDeleteAndDeletesNothing() {
    Path oldManifest = ws.manifestFile(first.get("manifestDigest").asText());
    Path oldClasses = packageFile(first, 0);

    Cli.Result r = gc("--keep", "1", "--dry-run");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("would delete manifests/" + oldManifest.getFileName())
        .contains("would delete 2 objects");
    assertThat(oldManifest).isRegularFile();
    assertThat(oldClasses).isRegularFile();
  }

  @Test
  void gc_olderThan_keepsManifestsWrittenSinceThen() throws IOException {
    Cli.Result r = gc("--older-than", "30m", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode result = Workspace.JSON.readTree(r.out());
    assertThat(result.get("keptManifests")).hasSize(1);
    assertThat(result.get("keptManifests").get(0).asText())
        .isEqualTo("manifests/" + second.get("manifestDigest").asText() + ".json");
    assertThat(result.get("deleted")).hasSize(2);
    assertThat(result.get("dryRun").asBoolean()).isFalse();
  }

  @Test
  void gc_forgetsDeletedObjectsInTheHomesRecord_soASessionChecksStorageAgain() {
    ObjectKey deleted = key(packageFile(first, 0));
    ObjectKey kept = key(packageFile(second, 1));

    assertThat(gc("--keep", "1").exit()).isZero();

    KnownObjects record;
    try (Storage storage = StorageSelector.open(ws.storage.toUri())) {
      record = KnownObjects.load(ws.home.resolve("known"), storage.root(), problem -> {});
    }
    Instant now = Instant.now();
    assertThat(record.isFresh(deleted, -1, now, Duration.ofHours(1))).isFalse();
    assertThat(record.isFresh(kept, -1, now, Duration.ofHours(1))).isTrue();
  }

  private ObjectKey key(Path file) {
    return ObjectKey.of(ws.storage.relativize(file).toString().replace('\\', '/'));
  }

  // Issue 16 item 5: "newest" meant newest written, so --keep 1 deleted a manifest just used again.
  @Test
  void gc_keep1_keepsTheManifestUsedLast_notTheOneWrittenLast_andSaysWhy() throws IOException {
    Path firstManifest = ws.manifestFile(first.get("manifestDigest").asText());
    Path secondManifest = ws.manifestFile(second.get("manifestDigest").asText());
    Files.setLastModifiedTime(secondManifest, FileTime.from(Instant.now().minus(1, ChronoUnit.MINUTES)));
    ws.write("com/example/Two.txt", "two", Workspace.PAST);
    // The first classpath again, from another home (this one's history would split Two.txt off as
    // volatile): it uses the first manifest again.
    Cli.Result reused = Cli.run("package", "--storage", ws.storage.toString(), "--home", dir.resolve("home2").toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString(), "--json");
    assertThat(Workspace.JSON.readTree(reused.out()).get("manifestDigest").asText())
        .isEqualTo(first.get("manifestDigest").asText());

    Cli.Result r = gc("--keep", "1");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(firstManifest).isRegularFile();
    assertThat(secondManifest).doesNotExist();
    assertThat(r.out()).containsPattern(
        "kept manifests/" + first.get("manifestDigest").asText() + "[.]json \\(last used [^)]+\\): one of the 1 most recently used");
  }

  @Test
  void gc_keepsManifestsUsedWithinTheGracePeriod_andSaysSo() {
    Path firstManifest = ws.manifestFile(first.get("manifestDigest").asText());

    Cli.Result r = Cli.run(Map.of(), "gc", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--keep", "1", "--grace", "2h");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(firstManifest).isRegularFile();
    assertThat(r.out()).contains("used within the grace period (2h)").contains("kept 2 manifests");
  }

  @Test
  void gc_judgesAgesByTheInjectedClock() {
    Path oldClasses = packageFile(first, 0);

    Cli.Result now = Cli.run(Map.of(), Clock.fixed(Instant.now(), ZoneOffset.UTC),
        "gc", "--storage", ws.storage.toString(), "--home", ws.home.toString(), "--keep", "1", "--grace", "2h");
    Cli.Result later = Cli.run(Map.of(), Clock.fixed(Instant.now().plus(3, ChronoUnit.HOURS), ZoneOffset.UTC),
        "gc", "--storage", ws.storage.toString(), "--home", ws.home.toString(), "--keep", "1", "--grace", "2h");

    assertThat(now.exit()).as(now.err()).isZero();
    assertThat(now.out()).as("an hour old: within the grace period").contains("deleted 0 objects");
    assertThat(later.exit()).as(later.err()).isZero();
    assertThat(later.out()).contains("deleted 2 objects");
    assertThat(oldClasses).doesNotExist();
  }

  // Issue 15 item 13: gc on a missing directory created it and exited 0.
  @Test
  void gc_onAMissingStoreDirectory_failsAsAUsageError_andCreatesNothing() {
    Path missing = dir.resolve("no-such-store");

    Cli.Result r = Cli.run("gc", "--storage", missing.toString(), "--home", ws.home.toString(), "--keep", "1");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--storage " + missing).contains("no such directory").contains("never creates one");
    assertThat(missing).doesNotExist();
  }

  @Test
  void gc_onAFileInsteadOfAStore_failsAsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    Cli.Result r = Cli.run("gc", "--storage", file.toString(), "--home", ws.home.toString(), "--keep", "1");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not a directory");
  }
}
