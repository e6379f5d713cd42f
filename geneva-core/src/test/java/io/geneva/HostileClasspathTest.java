package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geneva.internal.io.FileOpener;
import io.geneva.internal.session.OpenSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 5: classpath entries, and files under classpath directories, that are not regular
 * files or directories are refused by name instead of hanging (a FIFO) or filling the disk (a device);
 * a file that grows while it is read is an error, nothing past its scanned size is ever read, and no
 * staging is left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileClasspathTest {
  @TempDir Path dir;

  private Sandbox sandbox;
  private Path classes;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(dir);
    classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "class A");
  }

  private static void mkfifo(Path fifo) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    } catch (IOException noMkfifo) {
      assumeTrue(false, "mkfifo is not available: " + noMkfifo);
      return;
    }
    assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  private static Path symlinkToDevZero(Path link) throws IOException {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    Files.createDirectories(link.getParent());
    return Files.createSymbolicLink(link, zero);
  }

  private List<Path> leftovers() throws IOException {
    List<Path> out = new java.util.ArrayList<>();
    for (Path d : List.of(sandbox.store.resolve(".staging"), sandbox.home.resolve("tmp"))) {
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.list(d)) {
          s.forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void fifoAsAClasspathEntry_isRefusedNamingIt() throws Exception {
    Path fifo = dir.resolve("pipe.jar");
    mkfifo(fifo);

    assertThatThrownBy(() -> sandbox.run(classes, fifo))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(fifo.toString())
        .hasMessageContaining("not a regular file or a directory")
        .hasMessageContaining("remove it from the classpath");
  }

  @Test
  void fifoInsideAClasspathDirectory_isRefusedNamingIt() throws Exception {
    Path fifo = classes.resolve("com/acme/pipe");
    mkfifo(fifo);

    assertThatThrownBy(() -> sandbox.run(classes))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(fifo.toString())
        .hasMessageContaining("not a regular file or a directory")
        .hasMessageContaining("exclude \"com/acme/pipe\"");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void symbolicLinkToDevZero_asAnEntryOrInsideADirectory_isRefusedNamingIt() throws Exception {
    Path entry = symlinkToDevZero(dir.resolve("zero.jar"));
    Path inside = symlinkToDevZero(classes.resolve("data/zero.bin"));

    assertThatThrownBy(() -> sandbox.run(classes, entry))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(entry.toString());
    assertThatThrownBy(() -> sandbox.run(classes))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(inside.toString());
    assertThat(leftovers()).isEmpty();
  }

  /** Opens one file as a stream that never ends (what a file still being appended to looks like). */
  private static final class EndlessOpener implements FileOpener {
    final Path endless;
    final AtomicLong served = new AtomicLong();

    EndlessOpener(Path endless) {
      this.endless = endless;
    }

    @Override
    public InputStream open(Path file) throws IOException {
      if (!file.equals(endless)) {
        return Files.newInputStream(file);
      }
      return new InputStream() {
        @Override
        public int read() {
          served.incrementAndGet();
          return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
          java.util.Arrays.fill(b, off, off + len, (byte) 'x');
          served.addAndGet(len);
          return len;
        }
      };
    }
  }

  private StartupReport runWith(GenevaSession.Builder builder, FileOpener opener) {
    try (GenevaSession session = OpenSession.open(builder.toConfig().withOpener(opener))) {
      return session.startupReport();
    }
  }

  @Test
  void jarThatKeepsGrowingWhileItIsHashed_isAnError_readsOnlyPastItsSizeByOneByte_andLeavesNoStaging() {
    Path jar = FixtureFiles.write(sandbox.project.resolve("lib/growing.jar"), "1234567890");
    EndlessOpener opener = new EndlessOpener(jar);

    assertThatThrownBy(() -> runWith(sandbox.builder(classes, jar), opener))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("kept changing");
    // Three attempts, each reading at most the scanned size and one byte more.
    assertThat(opener.served.get()).isLessThanOrEqualTo(3 * 11L);
    assertThat(dir.resolve("store/.staging")).isDirectory();
    try {
      assertThat(leftovers()).isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void largeFileThatKeepsGrowingWhileItIsPacked_isAnError_readsOnlyPastItsSizeByOneByte() throws IOException {
    // Over the small-file limit, so it streams through the copy loop rather than a bounded buffer.
    Path big = FixtureFiles.write(classes.resolve("data/big.bin"), FixtureFiles.randomBytes(1, (1 << 20) + 10));
    EndlessOpener opener = new EndlessOpener(big);

    assertThatThrownBy(() -> runWith(sandbox.builder(classes), opener))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(big.toString())
        .hasMessageContaining("kept changing");
    // Each read of the file (sampling, packing, re-hashing) stops one byte past its size.
    assertThat(opener.served.get()).isLessThan(12L * ((1 << 20) + 11));
    assertThat(leftovers()).isEmpty();
  }
}
