package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.geneva.internal.fingerprint.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code package --dependencies-in-image} and {@code image-deps}: dependency jars left to the image. */
class ImageDepsCommandTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void setUp() throws IOException {
    ws = new Workspace(dir);
  }

  private JsonNode packageInImage() throws IOException {
    Cli.Result r = Cli.run(ws.packageArgs("--json", "--dependencies-in-image"));
    assertThat(r.exit()).as(r.err()).isZero();
    return Workspace.JSON.readTree(r.out());
  }

  @Test
  void packageWithDependenciesInImage_uploadsOnlyTheWorkspace_andRecordsTheJarByNameAndDigest() throws IOException {
    JsonNode report = packageInImage();

    String manifest = Files.readString(ws.manifestFile(report.get("manifestDigest").asText()));
    assertThat(manifest).contains("\"dependenciesInImage\":true")
        .contains("\"kind\":\"DEPENDENCY\",\"provided\":\"small-1.0.jar\",\"sha256\":\"" + Sha256.of(Files.readAllBytes(ws.jar)));
    try (var stored = Files.walk(ws.storage.resolve("packages"))) {
      assertThat(stored.filter(Files::isRegularFile)).as("only the workspace's archive").hasSize(1);
    }
    assertThat(report.get("bytesUploaded").asLong()).isLessThan(Files.size(ws.jar) + 4096);
    assertThat(report.get("packagesReused").asInt()).as("provided, not already stored").isZero();
    assertThat(report.get("packages")).filteredOn(p -> p.get("source").asText().equals("small-1.0.jar"))
        .singleElement().satisfies(p -> assertThat(p.get("reason").asText()).isEqualTo("provided by the worker image"));
    assertThat(Cli.run(ws.packageArgs("--dependencies-in-image")).out())
        .contains("1 dependency jar is provided by the worker image (not uploaded)");
  }

  @Test
  void imageDeps_listsTheJars_andItsDockerfileCheckAcceptsTheRightJarAndRefusesAnother() throws Exception {
    String manifestUri = packageInImage().get("manifestUri").asText();

    Cli.Result r = Cli.run("image-deps", "--manifest", manifestUri, "--lib-dir", "/opt/app/lib");

    assertThat(r.exit()).as(r.err()).isZero();
    String sha = Sha256.of(Files.readAllBytes(ws.jar));
    assertThat(r.out()).startsWith("1 jars (" + String.format("%,d", Files.size(ws.jar)) + " bytes) in /opt/app/lib")
        .contains("small-1.0.jar", sha, "COPY <your dependency directory>/ /opt/app/lib/",
            "ENV GENEVA_IMAGE_LIB=/opt/app/lib");
    // The snippet's check, run for real in a directory holding the jar, then another jar of that name.
    List<String> lines = r.out().lines().toList();
    int from = lines.indexOf(lines.stream().filter(l -> l.contains("RUN cd ")).findFirst().orElseThrow());
    String check = String.join("\n", lines.subList(from, lines.size())).replaceFirst("^\\s*RUN cd /opt/app/lib && ", "");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.copy(ws.jar, lib.resolve("small-1.0.jar"));
    assertThat(sh(lib, check)).isZero();
    Files.writeString(lib.resolve("small-1.0.jar"), "another version", StandardCharsets.UTF_8);
    assertThat(sh(lib, check)).isNotZero();
  }

  @Test
  void imageDeps_ofAManifestWithEveryJarInStorage_saysTheImageNeedsNone() {
    String manifestUri = ws.packageJson().get("manifestUri").asText();

    Cli.Result deps = Cli.run("image-deps", "--manifest", manifestUri);

    assertThat(deps.exit()).isEqualTo(1);
    assertThat(deps.errLines()).singleElement().asString().startsWith("geneva: manifest ")
        .contains("the image needs none");
  }

  private static int sh(Path dir, String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
