package io.geneva.internal.classpath;

import java.util.List;

/**
 * A classpath entry with the regular files under it, sorted by relative path.
 *
 * @param entry the entry
 * @param files its files; a jar entry has one, with an empty relative path
 */
public record ScannedEntry(ClasspathEntry entry, List<FileRecord> files) {
  /** Copies the list. */
  public ScannedEntry {
    files = List.copyOf(files);
  }

  /** The total size of the files. */
  public long totalBytes() {
    long sum = 0;
    for (FileRecord f : files) {
      sum += f.size();
    }
    return sum;
  }
}
