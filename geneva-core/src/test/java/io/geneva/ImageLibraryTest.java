package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory of links to the class path's jars stands in for an image's library. */
class ImageLibraryTest {
  @TempDir Path dir;

  @Test
  void linkJars_linksEachJarByName_andSkipsDirectoriesAndMissingEntries() throws Exception {
    Path a = FixtureFiles.write(dir.resolve("m2/a-1.0.jar"), "a");
    Path b = FixtureFiles.write(dir.resolve("m2/b-2.0.jar"), "b");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String classpath = String.join(File.pathSeparator,
        a.toString(), classes.toString(), dir.resolve("missing.jar").toString(), b.toString());

    Path lib = ImageLibrary.linkJars(classpath, dir.resolve("image-lib"));

    assertThat(lib).isEqualTo(dir.resolve("image-lib"));
    try (Stream<Path> links = Files.list(lib)) {
      assertThat(links.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a-1.0.jar", "b-2.0.jar");
    }
    assertThat(Files.isSymbolicLink(lib.resolve("a-1.0.jar"))).isTrue();
    assertThat(Files.readSymbolicLink(lib.resolve("a-1.0.jar"))).isEqualTo(a.toAbsolutePath());
    assertThat(Files.readString(lib.resolve("b-2.0.jar"))).isEqualTo("b");
  }

  @Test
  void linkJars_keepsTheFirstJarOfAName_likeAClassPath_andIsRepeatable() throws Exception {
    Path first = FixtureFiles.write(dir.resolve("one/x.jar"), "first");
    Path second = FixtureFiles.write(dir.resolve("two/x.jar"), "second");
    String classpath = first + File.pathSeparator + second;

    ImageLibrary.linkJars(classpath, dir.resolve("lib"));
    ImageLibrary.linkJars(classpath, dir.resolve("lib"));

    assertThat(Files.readString(dir.resolve("lib/x.jar"))).isEqualTo("first");
  }

  @Test
  void linkClasspathJars_linksThisJvmsJars() {
    Path lib = ImageLibrary.linkClasspathJars(dir.resolve("lib"));

    // The test runs with JUnit's jars on its class path.
    assertThat(lib.toFile().list()).anyMatch(name -> name.startsWith("junit-jupiter-api"));
  }

  @Test
  void linkJars_intoAPlaceThatCannotBeADirectory_namesIt() throws Exception {
    Path file = FixtureFiles.write(dir.resolve("a-file"), "not a directory");
    Path jar = FixtureFiles.write(dir.resolve("a.jar"), "a");

    assertThatThrownBy(() -> ImageLibrary.linkJars(jar.toString(), file))
        .isInstanceOf(GenevaException.class)
        .hasMessageContaining("cannot link this JVM's class path jars into " + file)
        .hasMessageContaining("pass a directory this process can write");
  }
}
