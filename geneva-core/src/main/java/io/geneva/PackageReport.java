package io.geneva;

import java.util.Objects;

/**
 * What happened to one package while a session opened.
 *
 * @param source where it came from: a jar's file name, or a directory's name with its shard, for
 *     example {@code classes#3}, or {@code classes#volatile} for the shard of frequently changing files
 * @param kind the classpath entry's kind
 * @param digest the lower-case hex SHA-256 of the stored object
 * @param size the stored object's size in bytes
 * @param uploaded whether this run uploaded it (otherwise storage already had it)
 * @param reason why it was rebuilt or sent: {@code new}, {@code unchanged}, which files changed, or
 *     {@value #PROVIDED} for a dependency jar the worker image provides (never uploaded)
 */
public record PackageReport(
    String source, EntryKind kind, String digest, long size, boolean uploaded, String reason) {
  /** The reason of a package the worker image provides. */
  public static final String PROVIDED = "provided by the worker image";

  /** Checks the components. */
  public PackageReport {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(reason, "reason");
  }
}
