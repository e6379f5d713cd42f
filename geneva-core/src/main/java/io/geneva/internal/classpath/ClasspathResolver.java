package io.geneva.internal.classpath;

import io.geneva.ConfigurationException;
import io.geneva.EntryKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns classpath text into {@link ClasspathEntry}s the way the JVM reads {@code -cp}: {@code dir/*}
 * means every {@code .jar} in {@code dir} (not recursive, sorted by name here so the order is the
 * same on every machine), duplicates keep their first position, and blank elements are ignored.
 */
public final class ClasspathResolver {
  private static final List<String> DEPENDENCY_CACHES =
      List.of(".m2/repository", ".gradle/caches", ".ivy2", ".cache/coursier", ".sbt/boot");

  private final Path projectDirectory;
  private final String origin;
  private final boolean skipMissing;
  private final Consumer<String> warnings;

  /**
   * @param projectDirectory directories under it are {@link EntryKind#WORKSPACE}
   * @param origin where the classpath came from, for messages (for example {@code java.class.path})
   * @param skipMissing whether a missing entry is a warning instead of an error
   * @param warnings receives warnings
   */
  public ClasspathResolver(
      Path projectDirectory, String origin, boolean skipMissing, Consumer<String> warnings) {
    this.projectDirectory = projectDirectory.toAbsolutePath().normalize();
    this.origin = Objects.requireNonNull(origin, "origin");
    this.skipMissing = skipMissing;
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /** Resolves and classifies the elements. */
  public List<ClasspathEntry> resolve(List<String> elements) {
    // Each path is stat-ed once: whether it exists and whether it is a directory are one answer.
    Map<Path, Boolean> directories = new LinkedHashMap<>();
    for (String element : elements) {
      if (element.isBlank()) {
        continue;
      }
      if (element.equals("*") || element.endsWith("/*") || element.endsWith("\\*")) {
        for (Path jar : expandWildcard(element)) {
          directories.putIfAbsent(jar, false);
        }
      } else {
        Path path = toPath(element);
        if (!directories.containsKey(path)) {
          Optional<BasicFileAttributes> attributes = attributes(path);
          if (attributes.isPresent()) {
            if (attributes.get().isOther()) {
              throw new ConfigurationException(
                  "classpath entry " + element + " (from " + origin + ") is not a regular file or a"
                      + " directory (a FIFO, socket or device, or a symbolic link to one), so it cannot be"
                      + " shipped; remove it from the classpath");
            }
            directories.put(path, attributes.get().isDirectory());
          } else {
            missing(element, path);
          }
        }
      }
    }
    List<ClasspathEntry> entries = new ArrayList<>(directories.size());
    directories.forEach((path, directory) -> entries.add(classify(path, directory)));
    return entries;
  }

  private static Optional<BasicFileAttributes> attributes(Path path) {
    try {
      return Optional.of(Files.readAttributes(path, BasicFileAttributes.class));
    } catch (IOException e) {
      return Optional.empty(); // as Files.exists: what cannot be stat-ed is not there for the JVM
    }
  }

  private Path toPath(String element) {
    try {
      return Path.of(element).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          "classpath entry \"" + element + "\" (from " + origin + ") is not a valid path: "
              + e.getReason() + "; fix or remove it");
    }
  }

  private void missing(String element, Path path) {
    String where = element.equals(path.toString()) ? element : element + " (" + path + ")";
    if (skipMissing) {
      warnings.accept("skipped classpath entry " + where + ": it does not exist");
      return;
    }
    throw new ConfigurationException(
        "classpath entry " + where + " does not exist (from " + origin
            + "); remove it or pass --skip-missing (skipMissingEntries(true)) to skip it");
  }

  private List<Path> expandWildcard(String element) {
    Path dir = toPath(element.length() == 1 ? "." : element.substring(0, element.length() - 2));
    if (!Files.isDirectory(dir)) {
      missing(element, dir);
      return List.of();
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jar") && attributes(p).map(BasicFileAttributes::isRegularFile).orElse(false)) {
          jars.add(p.toAbsolutePath().normalize());
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException(
          "classpath wildcard " + element + " (from " + origin + "): cannot list " + dir + ": "
              + e.getMessage() + "; fix its permissions or remove the entry",
          e);
    }
    jars.sort(null);
    return jars;
  }

  private ClasspathEntry classify(Path path, boolean directory) {
    boolean inProject = path.startsWith(projectDirectory) && !inDependencyCache(path);
    EntryKind kind;
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean archive = name.endsWith(".jar") || name.endsWith(".zip");
    if (inProject) {
      kind = EntryKind.WORKSPACE;
    } else {
      kind = !directory && archive ? EntryKind.DEPENDENCY : EntryKind.OTHER;
    }
    return new ClasspathEntry(path, kind, directory);
  }

  private static boolean inDependencyCache(Path path) {
    String unix = path.toString().replace('\\', '/');
    for (String cache : DEPENDENCY_CACHES) {
      if (unix.contains("/" + cache + "/")) {
        return true;
      }
    }
    return false;
  }
}
