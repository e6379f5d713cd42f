package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorsTest {
  @TempDir Path dir;

  @Test
  void statWalk_countsEveryRegularFileAndItsSize() throws IOException {
    Path a = Files.createDirectories(dir.resolve("a/b"));
    Files.write(a.resolve("x.class"), new byte[10]);
    Files.write(dir.resolve("a/y.class"), new byte[5]);
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[7]);

    long[] counts = Floors.statWalk(List.of(dir.resolve("a"), jar));

    assertThat(counts).containsExactly(3, 22);
  }

  @Test
  void copy_writesEveryByteIntoTheOutputDirectory() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.write(src.resolve("one"), new byte[] {1, 2, 3});
    Files.write(src.resolve("two"), new byte[3 << 20]);
    Path out = Files.createDirectories(dir.resolve("out"));

    new ByteBaselines(Trees.regularFiles(src)).copyMillis(2, out);

    try (Stream<Path> copies = Files.list(out)) {
      assertThat(copies.mapToLong(p -> p.toFile().length()).sorted().toArray()).containsExactly(3, 3 << 20);
    }
  }

  @Test
  void elapsedMillis_isReadFromTheFloorsLine() {
    assertThat(Floors.elapsedMillis("elapsedMillis 1234 files 3 bytes 99\n")).isEqualTo(1234);
    assertThatThrownBy(() -> Floors.elapsedMillis("Picked up JAVA_TOOL_OPTIONS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no elapsedMillis");
  }

  @Test
  void corpus_isTheScaleCorpusFromOneGibOfJars() throws IOException {
    Path small = corpus(dir.resolve("small"), 1L << 20);
    Path large = corpus(dir.resolve("large"), 1L << 30);

    assertThat(Corpus.open(small).scale()).isFalse();
    assertThat(Corpus.open(large).scale()).isTrue();
  }

  /** A corpus whose one jar is a sparse file of {@code jarSize} bytes (only its size is read). */
  private static Path corpus(Path root, long jarSize) throws IOException {
    Files.createDirectories(root.resolve(Corpus.WORKSPACE));
    Files.createDirectories(root.resolve(Corpus.NOTEBOOK));
    Files.writeString(root.resolve(Corpus.NOTEBOOK).resolve(Corpus.NOTEBOOK_FILE), "{}");
    Path deps = Files.createDirectories(root.resolve(Corpus.DEPS));
    try (java.io.RandomAccessFile jar = new java.io.RandomAccessFile(deps.resolve("big.jar").toFile(), "rw")) {
      jar.setLength(jarSize);
    }
    return root;
  }
}
