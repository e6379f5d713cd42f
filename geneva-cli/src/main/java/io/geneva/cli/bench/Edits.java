package io.geneva.cli.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.SplittableRandom;

/** The changes scenarios make between runs, as a user's edits would make them. */
final class Edits {
  private static final String CELLS = "\"cells\": [";

  private Edits() {}

  /**
   * Changes a file's content without changing its size (one byte in the middle is inverted) and
   * stamps it with the current time, as a recompile of one class would.
   */
  static void flipMiddleByte(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        throw new IllegalArgumentException(file + " is empty; cannot change a byte of it");
      }
      long at = size / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) ~b.get(0));
      b.rewind();
      ch.write(b, at);
    }
    touch(file);
  }

  /**
   * Writes the notebook as {@code original} with one more cell that mentions {@code run}, so every
   * run gives different content, and stamps it with the current time.
   */
  static void rewriteNotebook(Path file, String original, int run) throws IOException {
    String cell =
        "{\"cell_type\": \"code\", \"source\": [\"edit = " + run
            + "\\n\"], \"outputs\": [], \"metadata\": {}, \"execution_count\": null}";
    int at = original.indexOf(CELLS);
    String text;
    if (at < 0) {
      text = original + "\n# edit " + run + "\n";
    } else {
      int after = at + CELLS.length();
      boolean empty = original.substring(after).stripLeading().startsWith("]");
      text = original.substring(0, after) + "\n  " + cell + (empty ? "" : ",") + original.substring(after);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    touch(file);
  }

  /** Writes a CSV of exactly {@code size} bytes whose content depends only on the size. */
  static void writeDataFile(Path file, long size) throws IOException {
    Files.createDirectories(file.getParent());
    SplittableRandom random = new SplittableRandom(42);
    long written = 0;
    StringBuilder line = new StringBuilder(64);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      String header = "id,x,y,label\n";
      out.write(header);
      written += header.length();
      for (long id = 0; written < size; id++) {
        line.setLength(0);
        line.append(id)
            .append(',')
            .append(random.nextInt(1_000_000))
            .append(',')
            .append(random.nextLong() >>> 20)
            .append(",c")
            .append(random.nextInt(50))
            .append('\n');
        out.append(line);
        written += line.length();
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  /** Sets a file's modification time to now. */
  static void touch(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
  }
}
