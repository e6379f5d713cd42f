package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir Path dir;
  Workspace ws;
  String digest;

  @BeforeEach
  void setUp() throws IOException {
    ws = new Workspace(dir);
    digest = ws.packageJson().get("manifestDigest").asText();
  }

  @Test
  void inspect_localPath_printsRuntimeAndOneLinePerPackageInOrder() {
    Cli.Result r = Cli.run("inspect", ws.manifestFile(digest).toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("manifest " + digest)
        .contains("format 1 · java " + Runtime.version().feature())
        .contains("dependencies in image: no");
    String[] lines = r.out().split("\\R");
    int workspace = indexOfLineContaining(lines, "  0  WORKSPACE");
    int dependency = indexOfLineContaining(lines, "  1  DEPENDENCY");
    assertThat(workspace).isPositive();
    assertThat(dependency).isGreaterThan(workspace);
    assertThat(lines[workspace]).contains("packages/sha256/");
    assertThat(r.out()).contains("WORKSPACE: 1 package").contains("DEPENDENCY: 1 package");
  }

  @Test
  void inspect_fileUriWithJson_printsTheManifestAsJson() throws IOException {
    Cli.Result r = Cli.run("inspect", ws.manifestFile(digest).toUri().toString(), "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode manifest = Workspace.JSON.readTree(r.out());
    assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(manifest.get("classpath")).hasSize(2);
    assertThat(manifest.get("classpath").get(1).get("kind").asText()).isEqualTo("DEPENDENCY");
  }

  @Test
  void inspect_verify_readsEveryPackageBackAndChecksItsDigestAndEntries() {
    Cli.Result r = Cli.run("inspect", ws.manifestFile(digest).toString(), "--verify");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("verified 2 packages \\([1-9][0-9]* archive entries\\)").doesNotContain("FAILED");
  }

  @Test
  void inspect_verify_aDamagedPackage_failsNamingItsKey() throws IOException {
    JsonNode manifest = Workspace.JSON.readTree(ws.manifestFile(digest).toFile());
    String key = manifest.get("classpath").get(0).get("key").asText();
    Path stored = ws.storage.resolve(key);
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 1;
    stored.toFile().setWritable(true);
    Files.write(stored, bytes);

    Cli.Result r = Cli.run("inspect", ws.manifestFile(digest).toString(), "--verify");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED " + key + ": has SHA-256").contains("1 failed: package the classpath again");
  }

  @Test
  void inspect_verify_aPackageMissingFromStorage_failsNamingItsKey() throws IOException {
    JsonNode manifest = Workspace.JSON.readTree(ws.manifestFile(digest).toFile());
    String key = manifest.get("classpath").get(1).get("key").asText();
    Files.delete(ws.storage.resolve(key));

    Cli.Result r = Cli.run("inspect", ws.manifestFile(digest).toString(), "--verify");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED " + key + ": missing from storage").contains("verified 1 package ");
  }

  @Test
  void inspect_verify_aManifestOutsideItsStorage_isRejectedWithTheFix() throws IOException {
    Path copy = Files.copy(ws.manifestFile(digest), dir.resolve(digest + ".json"));

    Cli.Result r = Cli.run("inspect", copy.toString(), "--verify");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("--verify needs the manifest inside its storage").contains(copy.toString());
  }

  @Test
  void inspect_aRemoteUriThatIsNoManifestName_isRejectedNamingIt() {
    String bad = "s3://bucket/geneva/manifests/abc.json";

    Cli.Result r = Cli.run("inspect", bad);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("geneva: \"" + bad + "\" is not a manifest name: a manifest is"
        + " <storage root>/manifests/<sha256>.json, named by the 64 hex digits of its digest");
  }

  @Test
  void inspect_aRemoteManifestThatIsNoUri_isRejectedWithTheFix() {
    String bad = "s3://bucket/my geneva/manifests/" + digest + ".json";

    Cli.Result r = Cli.run("inspect", bad);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("geneva: manifest \"" + bad + "\" is not a valid URI (")
        .contains("percent-encode special characters").doesNotContain("\tat ");
  }

  private static int indexOfLineContaining(String[] lines, String text) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
