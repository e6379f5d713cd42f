package io.geneva.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init container's entry point, run in process. */
class BootstrapMainTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(Map<String, String> env) {
    return BootstrapMain.run(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void fetchesEveryPackageOnceThenFindsThemInTheCache() {
    Path classes = Path.of("target/test-classes").toAbsolutePath();
    String manifest;
    int packages;
    try (GenevaSession s = Geneva.connect(dir.resolve("store").toString()).home(dir.resolve("home"))
        .classpath(List.of(classes)).projectDirectory(dir).open()) {
      manifest = s.manifestUri().toString();
      packages = s.manifest().classpath().size();
    }
    Map<String, String> env = Map.of(BootstrapMain.MANIFEST, manifest, BootstrapMain.CACHE, dir.resolve("cache").toString());
    assertThat(run(env)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(packages + " packages fetched").contains("0 from the node cache");
    out.reset();
    assertThat(run(env)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 packages fetched").contains(packages + " from the node cache");
  }

  @Test
  void withoutAManifestYetOnlyTheCacheIsPrepared() {
    assertThat(run(Map.of(BootstrapMain.CACHE, dir.resolve("cache").toString()))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("no GENEVA_MANIFEST_URI yet");
    assertThat(dir.resolve("cache")).isDirectory();
  }

  @Test
  void aCacheBoundThatIsNotANumberIsAConfigurationError() {
    assertThat(run(Map.of(BootstrapMain.CACHE_MAX_BYTES, "lots"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("GENEVA_CACHE_MAX_BYTES is \"lots\"");
  }

  @Test
  void manifestThatIsNotInStorageFailsWithOneLine() throws java.io.IOException {
    String absent = java.nio.file.Files.createDirectories(dir.resolve("store")).toUri() + "manifests/" + "a".repeat(64) + ".json";
    assertThat(run(Map.of(BootstrapMain.MANIFEST, absent, BootstrapMain.CACHE, dir.resolve("cache").toString()))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).contains("is not in storage").doesNotContain("\n");
  }
}
