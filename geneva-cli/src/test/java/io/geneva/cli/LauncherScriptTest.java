package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/main/bin/geneva} for real, as fresh processes, with a {@code @TempDir} as the
 * Geneva home. The launcher runs {@code geneva.jar} beside its {@code bin} directory; here that jar
 * is a manifest whose {@code Class-Path} names this test's class path, with each directory of it
 * (this module's classes, and the other modules' in a reactor build) turned into a jar, because a
 * class-data archive holds classes from jars only. Every run trains in the foreground
 * ({@code GENEVA_CDS_TRAINING=foreground}) or not at all, so nothing is left running when a test ends.
 */
class LauncherScriptTest {
  /** An archive on any JDK 17+, trained before the command returns. */
  private static final Map<String, String> TRAIN_NOW =
      Map.of("GENEVA_CDS", "on", "GENEVA_CDS_TRAINING", "foreground");
  private static final String VERSION_LINE = "geneva " + GenevaCommand.Version.version();

  @TempDir static Path install;
  @TempDir Path home;

  private static Path launcher;

  @BeforeAll
  static void install() throws IOException {
    Path bin = Files.createDirectories(install.resolve("bin"));
    launcher = bin.resolve("geneva");
    Files.copy(Path.of("src/main/bin/geneva"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path lib = Files.createDirectories(install.resolve("classpath"));
    List<String> classPath = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (Files.isDirectory(path)) {
        Path jar = lib.resolve("dir" + n++ + ".jar");
        jarOf(path, jar, null);
        classPath.add(jar.toUri().toString());
      } else if (Files.isRegularFile(path)) {
        classPath.add(path.toUri().toString());
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, GenevaCommand.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    jarOf(null, install.resolve("geneva.jar"), manifest);
  }

  @Test
  void version_runsAndTrainsAnArchiveOnlyItsOwnerMayReadOrWrite() throws Exception {
    Child first = launch(TRAIN_NOW, "--version");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo(VERSION_LINE + "\n");
    Path cds = home.resolve("cds");
    assertThat(Files.getPosixFilePermissions(cds)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(archives()).hasSize(1);
    Path archive = archives().get(0);
    assertThat(archive.getFileName().toString()).matches("geneva-jdk\\d+-[0-9-]+\\.(jsa|aot)");
    assertThat(Files.getPosixFilePermissions(archive))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.size(archive)).isPositive();
    try (Stream<Path> files = Files.list(cds)) {
      assertThat(files).as("no temporary file or lock left").containsExactly(archive);
    }

    Child second = launch(Map.of(), "--version");

    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(VERSION_LINE + "\n");
    assertThat(archives()).containsExactly(archive);
  }

  @Test
  void byDefault_anArchiveOnlyOnJdk25AndLater() throws Exception {
    Child c = launch(Map.of("GENEVA_CDS_TRAINING", "foreground"), "--version");

    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).isEqualTo(VERSION_LINE + "\n");
    assertThat(archives()).hasSize(Runtime.version().feature() >= 25 ? 1 : 0);
  }

  @Test
  void aMistypedCdsSetting_isAUsageErrorNamingIt() throws Exception {
    Child c = launch(Map.of("GENEVA_CDS", "yes"), "--version");

    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err()).isEqualTo("geneva: GENEVA_CDS is 'yes'; set it to auto, on or off\n");
    assertThat(c.out()).isEmpty();
  }

  @Test
  void cdsOff_createsNoArchive() throws Exception {
    Child c = launch(Map.of("GENEVA_CDS", "off"), "--version");

    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).isEqualTo(VERSION_LINE + "\n");
    assertThat(home.resolve("cds")).doesNotExist();
  }

  @Test
  void aCorruptArchive_isIgnoredAndTheCommandSucceeds() throws Exception {
    assertThat(launch(TRAIN_NOW, "--version").exit()).isZero();
    Path archive = archives().get(0);
    long size = Files.size(archive);
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      byte[] garbage = new byte[64 * 1024];
      new java.util.Random(13).nextBytes(garbage);
      file.seek(size / 3);
      file.write(garbage, 0, (int) Math.min(garbage.length, size - size / 3));
    }

    Child damaged = launch(Map.of(), "--version");

    assertThat(damaged.exit()).as(damaged.err()).isZero();
    assertThat(damaged.out()).isEqualTo(VERSION_LINE + "\n");

    Files.write(archive, new byte[] {1, 2, 3});
    Child truncated = launch(Map.of(), "--version");

    assertThat(truncated.exit()).as(truncated.err()).isZero();
    assertThat(truncated.out()).isEqualTo(VERSION_LINE + "\n");
  }

  @Test
  void aCdsDirectoryOthersMayWrite_isNotUsed() throws Exception {
    Path cds = Files.createDirectories(home.resolve("cds"));
    Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxrwxrwx"));

    Child c = launch(TRAIN_NOW, "--version");

    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).isEqualTo(VERSION_LINE + "\n");
    assertThat(archives()).isEmpty();
  }

  @Test
  void throughASymlink_findsTheJarBesideTheRealScript(@TempDir Path elsewhere) throws Exception {
    Path link = Files.createSymbolicLink(elsewhere.resolve("geneva"), launcher);

    Child c = run(link, Map.of("GENEVA_CDS", "off"), "--version");

    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).isEqualTo(VERSION_LINE + "\n");
  }

  @Test
  void aSubcommandsUsageError_keepsItsExitCodeAndMessage() throws Exception {
    Child c = launch(TRAIN_NOW, "package", "--zzzzzzzz");

    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err()).isEqualTo(
        "geneva: unknown option '--zzzzzzzz' for 'geneva package'; see 'geneva package --help'\n");
    assertThat(archives()).hasSize(1);
  }

  private List<Path> archives() throws IOException {
    Path cds = home.resolve("cds");
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot")).toList();
    }
  }

  private record Child(int exit, String out, String err) {}

  private Child launch(Map<String, String> environment, String... args) throws Exception {
    return run(launcher, environment, args);
  }

  private Child run(Path script, Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("GENEVA_") || k.equals("JAVA_HOME"));
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("GENEVA_HOME", home.toString());
    env.putAll(environment);
    Path out = Files.createTempFile(install, "out", ".txt");
    Path err = Files.createTempFile(install, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A jar of a directory's files (none when {@code directory} is null), with an optional manifest. */
  private static void jarOf(Path directory, Path jar, Manifest manifest) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
      if (directory == null) {
        return;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(directory)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        out.putNextEntry(new JarEntry(directory.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
