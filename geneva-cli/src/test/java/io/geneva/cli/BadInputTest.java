package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input ends in a short message that names it: exit 1 and one line for a failure, exit 2
 * and a line plus a pointer to --help for a usage error, and never a stack trace.
 */
class BadInputTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void setUp() throws IOException {
    ws = new Workspace(dir);
  }

  private static void assertFailure(Cli.Result r, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("geneva: ").contains(named).doesNotContain("at io.geneva");
  }

  private static void assertUsageError(Cli.Result r, String command, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("geneva: ")
        .contains(named)
        .endsWith("; see '" + ("geneva " + command).strip() + " --help'");
    assertThat(r.err()).doesNotContain("at io.geneva");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void package_missingClasspathEntry_printsOneLineNamingItAndExits1() {
    Path missing = dir.resolve("nope.jar");
    Cli.Result r = Cli.run("package", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classes + java.io.File.pathSeparator + missing);

    assertFailure(r, missing.toString(), "--skip-missing");
  }

  @Test
  void package_skipMissing_packagesTheRestWithAWarning() {
    Path missing = dir.resolve("nope.jar");
    Cli.Result r = Cli.run("package", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classes + java.io.File.pathSeparator + missing, "--skip-missing");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("warning: skipped classpath entry " + missing);
  }

  @Test
  void package_unknownScheme_printsOneLineAndExits1() {
    Cli.Result r = Cli.run("package", "--storage", "foo://x", "--home", ws.home.toString(),
        "--classpath", ws.classpath());

    assertFailure(r, "\"foo\"", "foo://x");
  }

  @Test
  void package_storageRootUnderARegularFile_printsOneLineNamingTheRootAndExits1() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path root = file.resolve("storage");
    Cli.Result r = Cli.run("package", "--storage", root.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classpath());

    assertFailure(r, root.toString());
  }

  @Test
  void package_homeUnderARegularFile_printsOneLineInWords_withoutAJavaExceptionName() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path home = file.resolve("home");
    Cli.Result r = Cli.run("package", "--storage", ws.storage.toString(), "--home", home.toString(),
        "--classpath", ws.classpath());

    assertFailure(r, home.toString(), "--home");
    assertThat(r.err()).doesNotContain("java.nio", "Exception");
  }

  @Test
  void package_unknownOption_isAUsageError() {
    assertUsageError(Cli.run("package", "--bogus"), "package", "--bogus");
  }

  @Test
  void package_withoutClasspathOrEnvironment_isAUsageError() {
    Cli.Result r = Cli.run("package", "--storage", ws.storage.toString(), "--home", ws.home.toString());

    assertUsageError(r, "package", "--classpath is required (or set CLASSPATH)");
  }

  @Test
  void geneva_withoutCommand_isAUsageError() {
    assertUsageError(Cli.run(), "", "missing command");
  }

  @Test
  void gc_withBothKeepAndOlderThan_isAUsageError() {
    Cli.Result r = Cli.run("gc", "--storage", ws.storage.toString(), "--keep", "1", "--older-than", "7d");

    assertUsageError(r, "gc", "--keep", "--older-than", "mutually exclusive");
  }

  @Test
  void gc_withNeitherKeepNorOlderThan_isAUsageError() {
    Cli.Result r = Cli.run("gc", "--storage", ws.storage.toString());

    assertUsageError(r, "gc", "--keep", "--older-than");
  }

  @Test
  void gc_keepZero_isAUsageError() {
    Cli.Result r = Cli.run("gc", "--storage", ws.storage.toString(), "--keep", "0");

    assertUsageError(r, "gc", "--keep must be at least 1");
  }

  @Test
  void gc_badDuration_isAUsageErrorThatSaysWhatIsAccepted() {
    Cli.Result r = Cli.run("gc", "--storage", ws.storage.toString(), "--older-than", "7x");

    assertUsageError(r, "gc", "--older-than", "invalid duration \"7x\"", "like 7d", "PT12H");
  }

  @Test
  void inspect_missingFile_printsOneLineNamingItAndExits1() {
    Path missing = ws.storage.resolve("manifests").resolve("0".repeat(64) + ".json");

    assertFailure(Cli.run("inspect", missing.toString()), missing.toString(), "does not exist");
  }

  @Test
  void inspect_fileNotNamedByADigest_printsOneLineAndExits1() throws IOException {
    Path file = Files.writeString(dir.resolve("manifest.json"), "{}");

    assertFailure(Cli.run("inspect", file.toString()), file.toString(), "<sha256>.json");
  }

  @Test
  void inspect_remoteUriNotUnderManifests_printsOneLineAndExits1() {
    assertFailure(Cli.run("inspect", "s3://bucket/prefix/other.json"), "s3://bucket/prefix/other.json");
  }

  @Test
  void inspect_corruptManifest_printsTheIntegrityErrorAndExits1() throws IOException {
    String digest = ws.packageJson().get("manifestDigest").asText();
    Path copy = ws.manifestFile("f".repeat(64));
    Files.copy(ws.manifestFile(digest), copy);

    assertFailure(Cli.run("inspect", copy.toString()), copy.toString(), "corrupt");
  }

  @Test
  void explain_withoutHistory_printsOneLineAndExits1() {
    Cli.Result r = Cli.run("explain", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString());

    assertFailure(r, "no earlier package of this classpath", ws.home.toString(), "run 'geneva package' first");
  }

  @Test
  void package_missingProjectDir_isAUsageErrorNamingIt() {
    Path missing = dir.resolve("no-such-project");
    Cli.Result r = Cli.run("package", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classpath(), "--project-dir", missing.toString());

    assertUsageError(r, "package", "--project-dir " + missing, "does not exist");
  }

  @Test
  void explain_projectDirThatIsAFile_isAUsageErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Cli.Result r = Cli.run("explain", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classpath(), "--project-dir", file.toString());

    assertUsageError(r, "explain", "--project-dir " + file, "is not a directory");
  }
}
