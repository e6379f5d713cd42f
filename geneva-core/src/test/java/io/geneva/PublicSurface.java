package io.geneva;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Geneva's rule for what users may see, checked over one module's compiled classes: a type a user
 * can name from another package (a public type, or a public or protected member type of one) lives
 * in a supported package or in a package with an {@code internal} segment. Each module's {@code
 * PublicSurfaceTest} runs it over its own classes; the README's "Supported API" states the rule.
 */
public final class PublicSurface {
  /** The packages a user or plugin author may use; {@code io.geneva.examples} with its subpackages. */
  public static final Set<String> SUPPORTED = Set.of(
      "io.geneva", "io.geneva.spi", "io.geneva.k8s", "io.geneva.storage.s3", "io.geneva.maven");

  private static final String EXAMPLES = "io.geneva.examples";

  private PublicSurface() {}

  /** Whether a public type may live in this package. */
  public static boolean supported(String packageName) {
    return SUPPORTED.contains(packageName)
        || packageName.equals(EXAMPLES)
        || packageName.startsWith(EXAMPLES + ".")
        || Arrays.asList(packageName.split("\\.")).contains("internal");
  }

  /** The directory (or jar) the class was loaded from: a module's {@code target/classes} in a build. */
  public static Path classesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One line for each type under {@code classes} that a user can name but that lives outside the
   * supported packages, saying what to do; empty when the module keeps the rule.
   *
   * @param classes a classes directory
   * @param loader loads those classes (without initialising them)
   * @param allowed types that must be public for the JVM or a framework although no user calls
   *     them, each with the reason (a main class, a ServiceLoader provider, a task run by name)
   */
  public static List<String> violations(Path classes, ClassLoader loader, Map<String, String> allowed)
      throws IOException {
    List<String> found = new ArrayList<>();
    for (String name : classNames(classes)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load " + name + " from " + classes + " to check it: " + e, e);
      }
      if (visible(type) && !supported(type.getPackageName()) && !allowed.containsKey(type.getName())) {
        found.add(type.getName() + " is " + (Modifier.isProtected(type.getModifiers()) ? "protected" : "public")
            + " in " + type.getPackageName() + ", which is not a supported package (" + String.join(", ",
                SUPPORTED.stream().sorted().toList()) + ", " + EXAMPLES + ".*): make it package-private, move it"
            + " to a package with an 'internal' segment, or, if users are meant to use it, move it to a supported"
            + " package and document it in the README's \"Supported API\"");
      }
    }
    return found;
  }

  /** Whether code in another package can name the type. */
  static boolean visible(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    int modifiers = type.getModifiers();
    if (type.getEnclosingClass() == null) {
      return Modifier.isPublic(modifiers);
    }
    return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && visible(type.getEnclosingClass());
  }

  private static List<String> classNames(Path classes) throws IOException {
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException(classes + " is not a classes directory; run the test from the module's build");
    }
    try (Stream<Path> files = Files.walk(classes)) {
      List<String> names = files
          .filter(f -> f.getFileName().toString().endsWith(".class"))
          .map(f -> classes.relativize(f).toString())
          .filter(f -> !f.endsWith("module-info.class") && !f.endsWith("package-info.class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace(File.separatorChar, '.'))
          .sorted()
          .toList();
      if (names.isEmpty()) {
        throw new IllegalStateException(classes + " holds no classes; is the module compiled?");
      }
      return names;
    }
  }
}
