package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages of geneva-core's main code depend on each other in the order the README's "How a
 * start works" describes, as {@code jdeps} reads the compiled classes:
 *
 * <ol>
 *   <li><b>The internal packages form no cycle.</b> A stage depends on the stages before it and on
 *       helpers, never on a later stage; a helper that two stages share lives in a helper package
 *       ({@code io}, {@code concurrent}, {@code json}, {@code util}), not in one of the stages.
 *   <li><b>The API opens one door.</b> Take {@code io.geneva} and {@code io.geneva.spi} together as
 *       the API. Internal code uses the API's types (values, exceptions, the SPI it calls), and the
 *       API delegates to {@code io.geneva.internal.session}, where an entry point opens a session:
 *       with that one edge removed, the graph with the API as one node has no cycle. So the API
 *       uses no other internal package except helpers that do not depend on the API.
 *   <li><b>The SPI stands alone.</b> {@code io.geneva.spi} depends on no internal package: what a
 *       plugin author compiles against is the JDK and the API.
 * </ol>
 *
 * A failure names the cycle, with the class dependencies behind each step.
 */
class PackageCyclesTest {
  private static final String API = "io.geneva (API)";
  private static final String INTERNAL = "io.geneva.internal.";
  private static final String SESSION = "io.geneva.internal.session";

  private static PackageGraph core;

  @BeforeAll
  static void readCore() throws URISyntaxException {
    core = PackageGraph.of(
        Path.of(Geneva.class.getProtectionDomain().getCodeSource().getLocation().toURI()), "io.geneva");
  }

  @Test
  void internalPackages_formNoCycle() {
    assertThat(core.only(p -> p.startsWith(INTERNAL)).cycles())
        .as("cycles among geneva-core's internal packages; move the type that closes each cycle to the package"
            + " that owns it (a shared helper to a helper package)")
        .isEmpty();
  }

  @Test
  void api_reachesInternalCodeOnlyThroughTheSession() {
    PackageGraph withApiAsOneNode =
        core.merge(p -> p.equals("io.geneva") || p.equals("io.geneva.spi") ? API : p).without(API, SESSION);

    assertThat(withApiAsOneNode.cycles())
        .as("cycles through the API other than its door to " + SESSION + "; reach the internal code through the"
            + " session, or move what the API needs into a helper package that does not depend on the API")
        .isEmpty();
  }

  @Test
  void spi_dependsOnNoInternalPackage() {
    assertThat(core.dependencies("io.geneva.spi"))
        .as("io.geneva.spi's dependencies; a plugin author's SPI must use only the JDK and io.geneva")
        .noneMatch(p -> p.startsWith(INTERNAL));
  }

  @Test
  void aCycle_isFound_andNamedWithItsClasses(@TempDir Path dir) throws Exception {
    // The checker itself: two packages that import each other, compiled for real.
    Path classes = Compiler.compile(dir, Map.of(
        "cyc.a.A", "package cyc.a; public class A { cyc.b.B b; }",
        "cyc.b.B", "package cyc.b; public class B { cyc.a.A a; }",
        "cyc.c.C", "package cyc.c; public class C { cyc.a.A a; }"));

    PackageGraph graph = PackageGraph.of(classes, "cyc");

    assertThat(graph.cycles()).containsExactly("cyc.a -> cyc.b -> cyc.a, because A -> B; B -> A");
  }
}
