package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void setUp() throws IOException {
    ws = new Workspace(dir);
  }

  @Test
  void package_json_reportsManifestAndEveryPackageInClasspathOrder() {
    JsonNode report = ws.packageJson();

    String digest = report.get("manifestDigest").asText();
    assertThat(digest).matches("[0-9a-f]{64}");
    assertThat(ws.manifestFile(digest)).isRegularFile();
    assertThat(report.get("manifestUri").asText()).endsWith("/manifests/" + digest + ".json");
    List<String> sources = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (JsonNode p : report.get("packages")) {
      sources.add(p.get("source").asText());
      kinds.add(p.get("kind").asText());
      assertThat(p.get("uploaded").asBoolean()).isTrue();
    }
    assertThat(sources).containsExactly("classes#0", "small-1.0.jar");
    assertThat(kinds).containsExactly("WORKSPACE", "DEPENDENCY");
    assertThat(report.get("files").asLong()).isEqualTo(4);
    assertThat(report.get("bytesUploaded").asLong()).isPositive();
  }

  @Test
  void package_secondRunOfUnchangedClasspath_uploadsNothing_andOnceSettledHashesNothing() throws IOException {
    JsonNode first = ws.packageJson();
    JsonNode second = ws.packageJson();
    assertThat(second.get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
    assertThat(second.get("bytesUploaded").asLong()).isZero();
    assertThat(second.get("packagesUploaded").asInt()).isZero();
    assertThat(second.get("packagesReused").asInt()).isEqualTo(2);

    // A file changed within the racy window (20 ms) before a run starts is hashed again by the next
    // run (FingerprintIndex.isRacy). The workspace was written just before the first run, and these
    // runs take milliseconds, so runs go on until one has started after that window: the run after
    // it must hash nothing. (Each run does real work; this is not a timed assertion.)
    long settledAfterNanos = latestChangeTimeNanos(ws.classes) + 20_000_000L;
    boolean settledRunDone = false;
    for (int run = 0; run < 1_000 && !settledRunDone; run++) {
      settledRunDone = nowNanos() > settledAfterNanos;
      ws.packageJson();
    }
    JsonNode settled = ws.packageJson();

    assertThat(settledRunDone).as("a run started after the racy window").isTrue();
    assertThat(settled.get("manifestDigest")).isEqualTo(first.get("manifestDigest"));
    assertThat(settled.get("bytesHashed").asLong()).isZero();
    assertThat(settled.get("bytesUploaded").asLong()).isZero();
  }

  private static long latestChangeTimeNanos(Path tree) throws IOException {
    try (var files = Files.walk(tree)) {
      long latest = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        FileTime ctime = (FileTime) Files.getAttribute(p, "unix:ctime");
        latest = Math.max(latest, ctime.to(TimeUnit.NANOSECONDS));
      }
      return latest;
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Test
  void package_withoutJson_printsTheSummaryOnStdoutAndNothingOnStderr() {
    Cli.Result r = Cli.run(ws.packageArgs());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Geneva packaged 4 files").contains("manifest file:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void package_withoutClasspathOption_readsTheClasspathEnvironmentVariable() {
    Cli.Result r = Cli.run(Map.of("CLASSPATH", ws.classpath()),
        "package", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--project-dir", ws.project.toString(), "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("small-1.0.jar");
  }

  @Test
  void package_withoutStorage_usesTheDefaultStorageUnderTheHome() throws IOException {
    Cli.Result r = Cli.run("package", "--home", ws.home.toString(), "--classpath", ws.classpath(),
        "--project-dir", ws.project.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    try (var manifests = Files.list(ws.home.resolve("storage").resolve("manifests"))) {
      assertThat(manifests).hasSize(1);
    }
  }

  @Test
  void package_exclude_leavesMatchingFilesOut() throws IOException {
    Cli.Result r = Cli.run(ws.packageArgs("--exclude", "*.properties", "--json"));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Workspace.JSON.readTree(r.out()).get("files").asLong()).isEqualTo(3);
  }
}
