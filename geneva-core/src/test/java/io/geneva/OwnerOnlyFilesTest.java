package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.testfixture.HoldStaging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 items 7 and 13: what Geneva creates under its home and in a file store is owner-only
 * whatever the umask (a test cannot change the JVM's umask, so it asserts the modes themselves), a
 * {@code 0600} workspace file never becomes a world-readable object, and staging left by a killed
 * session is reclaimed by the next session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.toList();
    }
  }

  @Test
  void homeIndexRecordsHistoryStoreObjectsAndStaging_areOwnerOnly() throws IOException {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "class A");
    Path secret = FixtureFiles.write(classes.resolve("db.properties"), "db.password=hunter2");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path jar = FixtureFiles.write(sandbox.project.resolve("lib/dep.jar"), "not really a jar");

    List<String> stagingModes;
    try (GenevaSession session = sandbox.builder(classes, jar).open()) {
      assertThat(session.startupReport().packagesUploaded()).isPositive();
      try (Stream<Path> s = Files.list(sandbox.store.resolve(".staging"))) {
        stagingModes = s.map(OwnerOnlyFilesTest::mode).toList();
      }
    }
    sandbox.run(classes, jar); // a second run rewrites the records and the jar index

    assertThat(stagingModes).isNotEmpty().containsOnly("rwx------");
    List<Path> created = new ArrayList<>(tree(sandbox.home));
    created.addAll(tree(sandbox.store));
    assertThat(created)
        .anyMatch(p -> p.toString().endsWith(".idx"))
        .anyMatch(p -> p.getParent().getFileName().toString().equals("known"))
        .anyMatch(p -> p.toString().contains("history") && p.toString().endsWith(".json"))
        .anyMatch(p -> p.toString().contains("packages") && p.toString().endsWith(".jar"))
        .anyMatch(p -> p.toString().contains("manifests") && p.toString().endsWith(".json"));
    for (Path p : created) {
      assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
    }
  }

  @Test
  void stagingOfAKilledSession_isReclaimedByTheNextSession_notAfterADay() throws Exception {
    Sandbox sandbox = new Sandbox(dir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "class A");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldStaging.class.getName(),
        sandbox.store.resolve(".staging").toString(), sandbox.home.resolve("tmp").toString());
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Path> left = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      left.add(Path.of(out.readLine()));
      left.add(Path.of(out.readLine()));
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(left).allSatisfy(p -> assertThat(p.resolve("shard-1.jar")).exists());

    sandbox.run(classes);

    assertThat(left).allSatisfy(p -> assertThat(p).doesNotExist());
  }
}
