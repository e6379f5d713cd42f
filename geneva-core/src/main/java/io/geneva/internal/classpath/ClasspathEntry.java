package io.geneva.internal.classpath;

import io.geneva.EntryKind;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One resolved classpath entry.
 *
 * @param path the absolute, normalised path
 * @param kind its classification
 * @param directory whether it is a directory (otherwise a jar or other file)
 */
public record ClasspathEntry(Path path, EntryKind kind, boolean directory) {
  /** Checks the components. */
  public ClasspathEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }

  /** A short name for reports: the file or directory name. */
  public String displayName() {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }
}
