package io.geneva.internal.classpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.EntryKind;
import io.geneva.FixtureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk of a directory entry: every file, its relative path, in path order. */
class ClasspathScannerTest {
  @TempDir Path tempDir;

  private static List<FileRecord> scan(Path dir) {
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      return new ClasspathScanner(ExcludeMatcher.of(List.of()), w -> {})
          .scanAll(List.of(new ClasspathEntry(dir, EntryKind.WORKSPACE, true)), pool)
          .get(0)
          .files();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void relativePathsAndFiles_areThoseOfAFullWalk_inPathOrder() throws IOException {
    Path root = tempDir.resolve("classes dir");
    for (String rel : List.of("A.class", "a/B.class", "a-b/C.class", "a.b", "a/b/c/D.class", "caf\u00e9/E.class",
        "z/y/x/w/F.class", "a/b/G.class", "ab")) {
      FixtureFiles.write(root.resolve(rel), rel);
    }

    List<FileRecord> files = scan(root);

    List<String> expected = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(p -> expected.add(root.relativize(p).toString().replace('\\', '/')));
    }
    expected.sort(String::compareTo);
    assertThat(files).extracting(FileRecord::relativePath).containsExactlyElementsOf(expected);
    assertThat(files).allSatisfy(f -> {
      assertThat(f.file()).isEqualTo(root.resolve(f.relativePath()));
      assertThat(f.file().getFileName().toString()).isEqualTo(Path.of(f.relativePath()).getFileName().toString());
    });
  }
}
