package io.geneva;

/** How Geneva classifies a classpath entry, which decides how it is packed and cached. */
public enum EntryKind {
  /**
   * Build output and source-like directories under the project directory, and jars the project
   * builds itself: the code that changes between runs. Directories are packed into sharded archives.
   */
  WORKSPACE,
  /** Third-party jars (for example from the Maven or Gradle caches): shipped as they are. */
  DEPENDENCY,
  /** Any other directory or file on the classpath. */
  OTHER
}
