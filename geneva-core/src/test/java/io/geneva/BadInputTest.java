package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.geneva.internal.io.FileOpener;
import io.geneva.internal.session.OpenSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input: each fails with the right exception and a message that names the input and a fix. */
class BadInputTest {
  @TempDir Path tempDir;

  private Sandbox sandbox;
  private Path classes;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(tempDir);
    classes = sandbox.project.resolve("target/classes");
    FixtureFiles.classTree(classes, 30, 3);
  }

  private static GenevaSession openWith(GenevaSession.Builder builder, FileOpener opener) {
    return OpenSession.open(builder.toConfig().withOpener(opener));
  }

  /** Fires once, on the first PACK STARTED event: the moment between fingerprinting and packing. */
  private static ProgressListener beforePacking(IoAction action) {
    AtomicBoolean fired = new AtomicBoolean();
    return event -> {
      if (event.phase() == ProgressEvent.Phase.PACK
          && event.type() == ProgressEvent.Type.STARTED
          && fired.compareAndSet(false, true)) {
        try {
          action.run();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  // ---------------------------------------------------------------------------------------------
  // Classpath entries
  // ---------------------------------------------------------------------------------------------

  @Test
  void missingClasspathEntry_failsWithConfigurationException_namingItAndHowToSkipIt() {
    Path missing = sandbox.root.resolve("no-such/lib.jar");

    assertThatThrownBy(() -> sandbox.run(classes, missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("skipMissingEntries");
  }

  @Test
  void missingClasspathEntry_withSkipMissingEntries_isAWarningInTheReport() {
    Path missing = sandbox.root.resolve("no-such/lib.jar");

    StartupReport report = Sandbox.run(sandbox.builder(classes, missing).skipMissingEntries(true));

    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains(missing.toString()).contains("does not exist"));
    assertThat(report.packages()).extracting(PackageReport::source).allSatisfy(s -> assertThat(s).startsWith("classes#"));
    assertThat(report.summary()).contains(missing.toString());
  }

  @Test
  void wildcardOfMissingDirectory_failsNamingIt() {
    Path missing = sandbox.root.resolve("no-lib");

    assertThatThrownBy(() -> sandbox.run(classes, missing.resolve("*")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void classpathWithOnlyMissingEntriesSkipped_failsSayingWhatToPass() {
    assertThatThrownBy(() -> Sandbox.run(sandbox.builder(sandbox.root.resolve("gone")).skipMissingEntries(true)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no entries");
  }

  @Test
  void invalidExcludePattern_failsNamingThePattern() {
    assertThatThrownBy(() -> Sandbox.run(sandbox.builder(classes).excludes(List.of("[abc"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"[abc\"");
  }

  // ---------------------------------------------------------------------------------------------
  // Files that cannot be read, loop, change or vanish
  // ---------------------------------------------------------------------------------------------

  @Test
  void unreadableFile_failsWithPackagingException_namingItAndTheFix() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file regardless of its mode");
    Path secret = FixtureFiles.write(classes.resolve("com/acme/Secret.class"), "secret");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    try {
      assertThatThrownBy(() -> sandbox.run(classes))
          .isInstanceOf(PackagingException.class)
          .hasMessageContaining(secret.toString())
          .hasMessageContaining("permission");
    } finally {
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** An opener that fails for one file with this exception, and opens every other file. */
  private static FileOpener failingFor(Path bad, IOException failure) {
    return file -> {
      if (file.equals(bad)) {
        throw failure;
      }
      return Files.newInputStream(file);
    };
  }

  // Regression: on a directory's first packing (digests deferred to the packer) a read error once
  // escaped as a bare RuntimeException wrapped by the ForkJoinPool.
  @Test
  void fileThatCannotBeOpened_whenItsDirectoryIsFirstPacked_failsWithPackagingException_namingItAndTheFix() {
    Path secret = FixtureFiles.write(classes.resolve("com/acme/Secret.class"), "secret");
    FileOpener denying = failingFor(secret, new AccessDeniedException(secret.toString()));

    assertThatThrownBy(() -> openWith(sandbox.builder(classes), denying).close())
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(secret.toString())
        .hasMessageContaining("permission denied")
        .hasMessageContaining("exclude");
  }

  @Test
  void fileThatCannotBeOpened_afterItChanged_failsWithPackagingException_namingItAndTheFix() {
    Path secret = FixtureFiles.write(classes.resolve("com/acme/Secret.class"), "secret");
    sandbox.run(classes);
    FixtureFiles.write(secret, "changed secret".getBytes(), FixtureFiles.PAST.plusSeconds(10));
    FileOpener denying = failingFor(secret, new AccessDeniedException(secret.toString()));

    assertThatThrownBy(() -> openWith(sandbox.builder(classes), denying).close())
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(secret.toString())
        .hasMessageContaining("permission denied")
        .hasMessageContaining("exclude");
  }

  @Test
  void jarThatCannotBeOpened_failsWithPackagingException_namingIt() {
    Path jar = sandbox.dependencyJar("locked", 4);
    FileOpener denying = failingFor(jar, new AccessDeniedException(jar.toString()));

    assertThatThrownBy(() -> openWith(sandbox.builder(classes, jar), denying).close())
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("permission denied");
  }

  // Regression: same path as the test above, for an error while reading.
  @Test
  void fileThatFailsToRead_whenItsDirectoryIsFirstPacked_failsWithPackagingException_namingIt() {
    Path broken = FixtureFiles.write(classes.resolve("com/acme/Broken.class"), "broken");
    FileOpener failing = failingFor(broken, new IOException("Input/output error"));

    assertThatThrownBy(() -> openWith(sandbox.builder(classes), failing).close())
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("Input/output error");
  }

  @Test
  void symlinkLoop_failsWithPackagingException_namingTheLinkAndHowToExcludeIt() throws IOException {
    Path dir = classes.resolve("com/acme/looping");
    Files.createDirectories(dir);
    Path link = Files.createSymbolicLink(dir.resolve("loop"), dir);

    assertThatThrownBy(() -> sandbox.run(classes))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("loop")
        .hasMessageContaining("com/acme/looping/loop/");
  }

  @Test
  void symlinkToASiblingDirectory_isFollowed_notALoop() throws IOException {
    Path target = classes.resolve("shared");
    FixtureFiles.write(target.resolve("x.txt"), "x");
    Files.createSymbolicLink(classes.resolve("alias"), target);

    StartupReport report = sandbox.run(classes);

    assertThat(report.files()).isEqualTo(30 + 2);
  }

  @ParameterizedTest(name = "{0}, index warm: {1}")
  @CsvSource({"com/acme/Changing.class, false", "com/acme/Changing.class, true", "static/changing.png, true"})
  void fileChangingWhilePacked_invisiblyToStat_isRetried_andTheArchiveHoldsTheNewContent(String relative, boolean warm)
      throws IOException {
    Path file = FixtureFiles.write(classes.resolve(relative), "version-1".getBytes());
    if (warm) {
      // The index knows the directory, and the file changed since: the fingerprinter reads it
      // before packing, so the packer has a digest to check against.
      sandbox.run(classes);
      FixtureFiles.write(file, "version-0".getBytes(), FixtureFiles.PAST.plusSeconds(30));
    }
    Instant mtime = Files.getLastModifiedTime(file).toInstant();
    byte[] changed = "version-2".getBytes();
    ProgressListener changeIt =
        beforePacking(() -> {
          // Same size, same mtime, same inode: only the content digest can tell.
          Files.write(file, changed);
          FixtureFiles.touch(file, mtime);
        });

    StartupReport report = Sandbox.run(sandbox.builder(classes).progressListener(changeIt));

    assertThat(Files.readAllBytes(file)).isEqualTo(changed);
    PackageReport shard = containing(report, relative);
    assertThat(FixtureFiles.sha256(sandbox.stored(shard))).isEqualTo(shard.digest());
    assertThat(Archives.entry(sandbox.stored(shard), relative)).isEqualTo(changed);
    StartupReport next = sandbox.run(classes);
    assertThat(next.bytesHashed()).isZero();
    assertThat(next.manifestDigest()).as("the index recorded the content really packed").isEqualTo(report.manifestDigest());
  }

  // Regression: with deferred digests, a file rewritten while it was read once shipped torn.
  @ParameterizedTest(name = "index warm: {0}")
  @ValueSource(booleans = {false, true})
  void fileRewrittenWhileItIsRead_isNeverShippedTorn(boolean warm) throws IOException {
    byte[] v1 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes();
    byte[] v2 = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB".getBytes();
    String relative = "com/acme/Torn.class";
    Path file = FixtureFiles.write(classes.resolve(relative), v1);
    if (warm) {
      FixtureFiles.write(file, "the first run saw this, not v1 or v2".getBytes(), FixtureFiles.PAST);
      sandbox.run(classes);
      FixtureFiles.write(file, v1, FixtureFiles.PAST.plusSeconds(30));
    }
    FileOpener tearing = new TearingOpener(file, v2, FixtureFiles.PAST.plusSeconds(3600));

    StartupReport report;
    try (GenevaSession session = openWith(sandbox.builder(classes), tearing)) {
      report = session.startupReport();
    } catch (PackagingException reported) {
      assertThat(reported).hasMessageContaining(file.toString());
      return;
    }
    PackageReport shard = containing(report, relative);
    byte[] shipped = Archives.entry(sandbox.stored(shard), relative);
    assertThat(new String(shipped)).as("content shipped for %s", relative).isIn(new String(v1), new String(v2));
  }

  /**
   * Opens one file, the first time only, as a concurrent writer would make it read: the first half of
   * its old content, then (having rewritten the file, same size, new mtime) the second half of the new.
   */
  private static final class TearingOpener implements FileOpener {
    private final Path file;
    private final byte[] replacement;
    private final Instant newMtime;
    private final AtomicBoolean torn = new AtomicBoolean();

    TearingOpener(Path file, byte[] replacement, Instant newMtime) {
      this.file = file;
      this.replacement = replacement;
      this.newMtime = newMtime;
    }

    @Override
    public InputStream open(Path path) throws IOException {
      if (!path.equals(file) || !torn.compareAndSet(false, true)) {
        return Files.newInputStream(path);
      }
      byte[] old = Files.readAllBytes(path);
      int half = old.length / 2;
      return new InputStream() {
        private int position;
        private byte[] source = old;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (position == half && source == old) {
            FixtureFiles.write(file, replacement, newMtime);
            source = replacement;
          }
          if (position >= source.length) {
            return -1;
          }
          if (len == 0) {
            return 0;
          }
          int limit = source == old ? half : source.length;
          int n = Math.min(len, limit - position);
          System.arraycopy(source, position, b, off, n);
          position += n;
          return n;
        }
      };
    }
  }

  private PackageReport containing(StartupReport report, String relative) throws IOException {
    for (PackageReport p : report.packages()) {
      if (Archives.contains(sandbox.stored(p), relative)) {
        return p;
      }
    }
    throw new AssertionError(relative + " is in no package of " + report.packages());
  }

  @ParameterizedTest(name = "index warm: {0}")
  @ValueSource(booleans = {false, true})
  void fileVanishingWhilePacked_failsWithPackagingException_namingIt(boolean warm) {
    Path file = FixtureFiles.write(classes.resolve("com/acme/Vanishing.class"), "here for now");
    if (warm) {
      sandbox.run(classes);
      FixtureFiles.write(file, "changed, so read again".getBytes(), FixtureFiles.PAST.plusSeconds(30));
    }
    ProgressListener deleteIt = beforePacking(() -> Files.delete(file));

    assertThatThrownBy(() -> Sandbox.run(sandbox.builder(classes).progressListener(deleteIt)))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("vanished")
        .hasMessageContaining("run again");
  }

  @Test
  void fileThatKeepsChangingWhilePacked_failsAfterRetries_namingIt_neverShippingAWrongArchive() {
    Path file = FixtureFiles.write(classes.resolve("com/acme/Restless.class"), "restless!");
    StartupReport first = sandbox.run(classes);
    FixtureFiles.write(file, "restless?".getBytes(), FixtureFiles.PAST.plusSeconds(10));
    AtomicInteger opens = new AtomicInteger();
    FileOpener restless =
        path -> {
          if (!path.equals(file)) {
            return Files.newInputStream(path);
          }
          // Every read sees other bytes of the same length, as if a writer were racing us.
          byte[] content = Files.readAllBytes(path);
          content[0] = (byte) opens.incrementAndGet();
          return new ByteArrayInputStream(content);
        };

    assertThatThrownBy(() -> openWith(sandbox.builder(classes), restless).close())
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("kept changing");
    assertThat(FixtureFiles.listFiles(sandbox.store.resolve("manifests")))
        .containsExactly(first.manifestDigest() + ".json");
  }

  // ---------------------------------------------------------------------------------------------
  // Storage root and home
  // ---------------------------------------------------------------------------------------------

  @Test
  void unknownStorageScheme_failsNamingTheSchemeAndTheKnownOnes() {
    assertThatThrownBy(
            () -> Sandbox.run(Geneva.connect("gopher://host/geneva").home(sandbox.home).classpath(List.of(classes))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"gopher\"")
        .hasMessageContaining("known schemes")
        .hasMessageContaining("file");
  }

  @Test
  void s3StorageWithoutTheStorageModule_failsNamingTheModuleToAdd() {
    assertThatThrownBy(
            () -> Sandbox.run(Geneva.connect("s3://bucket/geneva").home(sandbox.home).classpath(List.of(classes))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"s3\"")
        .hasMessageContaining("geneva-storage");
  }

  @Test
  void storageRootWithCredentials_isRejected_withoutRepeatingThem() {
    assertThatThrownBy(() -> Geneva.connect("s3://AKIAEXAMPLE:topsecret@bucket/geneva"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("topsecret")
        .hasMessageNotContaining("AKIAEXAMPLE");
  }

  @Test
  void storageRootThatCannotBeWritten_failsWithStorageException_namingIt() {
    Path blocker = FixtureFiles.write(sandbox.root.resolve("a-file"), "not a directory");
    Path root = blocker.resolve("store");

    assertThatThrownBy(
            () -> Sandbox.run(Geneva.connect(root.toString()).home(sandbox.home).classpath(List.of(classes))))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("choose")
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
  }

  @Test
  void homeThatCannotBeWritten_failsWithConfigurationException_namingItAndTheFix() {
    Path blocker = FixtureFiles.write(sandbox.root.resolve("a-file"), "not a directory");
    Path home = blocker.resolve("geneva-home");

    assertThatThrownBy(
            () -> Sandbox.run(Geneva.connect(sandbox.store.toString()).home(home).classpath(List.of(classes))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(home.toString())
        .hasMessageContaining("GENEVA_HOME");
  }
}
