package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * geneva-core's public types are its API ({@code io.geneva}), its SPI ({@code io.geneva.spi}) and
 * internal code ({@code io.geneva.internal.*}); see {@link PublicSurface} for the rule every module
 * checks.
 */
class PublicSurfaceTest {
  @Test
  void everyPublicTypeOfCore_isInASupportedOrInternalPackage() throws Exception {
    assertThat(PublicSurface.violations(PublicSurface.classesOf(Geneva.class), getClass().getClassLoader(), Map.of()))
        .isEmpty();
  }

  @Test
  void theCheck_findsPublicAndProtectedTypesOutsideSupportedPackages(@TempDir Path dir) throws Exception {
    Path classes = Compiler.compile(dir, Map.of(
        "io.geneva.stray.Open", "package io.geneva.stray; public class Open {"
            + " protected static class Inner {} private static class Hidden { public static class Deep {} }"
            + " static class Package {} void m() { new Object() {}; class Local {} } }",
        "io.geneva.stray.Closed", "package io.geneva.stray; class Closed { public static class Nested {} }",
        "io.geneva.stray.internal.Fine", "package io.geneva.stray.internal; public class Fine {}",
        "io.geneva.spi.FineToo", "package io.geneva.spi; public interface FineToo {}",
        "io.geneva.examples.demo.Demo", "package io.geneva.examples.demo; public class Demo {}",
        "io.geneva.stray.Main", "package io.geneva.stray; public class Main { public static void main(String[] a) {} }"));

    List<String> found;
    try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, null)) {
      found = PublicSurface.violations(classes, loader, Map.of("io.geneva.stray.Main", "a main class"));
    }

    assertThat(found).hasSize(2);
    assertThat(found.get(0)).startsWith("io.geneva.stray.Open is public in io.geneva.stray, which is not a supported"
        + " package").contains("make it package-private, move it to a package with an 'internal' segment");
    assertThat(found.get(1)).startsWith("io.geneva.stray.Open$Inner is protected in io.geneva.stray");
  }
}
