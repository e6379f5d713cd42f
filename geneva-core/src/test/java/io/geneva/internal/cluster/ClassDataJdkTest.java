package io.geneva.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataJdkTest {
  @TempDir Path dir;

  @Test
  void javaThroughASymbolicLink_isTheJdkItLinksTo() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // As /usr/bin/java links to the JDK's: the release file is beside the link's target, not the link.
    Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr/bin")).resolve("java"), java);

    assertThat(ClassDataCache.Jdk.of(link)).isPresent().isEqualTo(ClassDataCache.Jdk.of(java));
    assertThat(ClassDataCache.Jdk.of(link).orElseThrow().feature()).isEqualTo(Runtime.version().feature());
  }

  @Test
  void javaWithoutAReleaseFile_hasNoJdk() throws IOException {
    Path fake = Files.createDirectories(dir.resolve("bin")).resolve("java");
    Files.writeString(fake, "");

    assertThat(ClassDataCache.Jdk.of(fake)).isEmpty();
  }
}
