package io.geneva.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way Geneva replaces a small file it owns (an index, a record, a report, a state file):
 * written whole into an owner-only temporary sibling, then renamed over the target, so a reader sees
 * the old file or the new one, never a mix, and concurrent writers never corrupt it (the last rename
 * wins, and each wrote a complete file). Where the file system cannot rename atomically, a plain
 * replacing move is used. The file is not forced to disk: everything written this way is a cache or a
 * record that is rebuilt or ignored when it is lost or damaged.
 *
 * <p>The result is owner-only ({@code rw-------}) on POSIX file systems, whatever the umask. Missing
 * parent directories are created owner-only. Thread-safe.
 */
public final class AtomicFiles {
  /** Writes a file's content; must not close the stream. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the whole content to {@code out}. */
    void write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Replaces {@code target} with what {@code writer} writes, atomically. */
  public static void write(Path target, Writer writer) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    PrivateFiles.createDirectories(parent);
    writeVia(parent, target, writer);
  }

  /**
   * Replaces {@code target} with what {@code writer} writes, atomically, writing the temporary file in
   * {@code scratch} instead of beside the target: for directories whose listings must never show a
   * partial file (the node cache). {@code scratch} must exist and be on the target's file system.
   */
  public static void writeVia(Path scratch, Path target, Writer writer) throws IOException {
    Path tmp = PrivateFiles.createTempFile(scratch, "." + target.getFileName(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Replaces {@code target} with these bytes, atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Replaces {@code target} with this text in UTF-8, atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Renames {@code from} over {@code to}: atomically where the file system can, replacing otherwise. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
