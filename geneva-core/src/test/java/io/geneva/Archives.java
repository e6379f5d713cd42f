package io.geneva;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads packed archives in tests with Commons Compress's {@link ZipFile}, an implementation
 * independent of the JDK's and of Geneva's writer, streaming each entry (no archive is held in
 * memory).
 */
final class Archives {
  private Archives() {}

  static ZipFile open(Path archive) throws IOException {
    return ZipFile.builder().setPath(archive).get();
  }

  /** Entry names, in archive order. */
  static List<String> names(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = open(archive)) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
        names.add(e.getName());
      }
    }
    return names;
  }

  /** One entry's bytes, if the archive has it; its CRC is checked. */
  static Optional<byte[]> read(Path archive, String name) throws IOException {
    try (ZipFile zip = open(archive)) {
      ZipArchiveEntry e = zip.getEntry(name);
      if (e == null) {
        return Optional.empty();
      }
      byte[] bytes;
      try (InputStream in = zip.getInputStream(e)) {
        bytes = in.readAllBytes();
      }
      CRC32 crc = new CRC32();
      crc.update(bytes);
      if (crc.getValue() != e.getCrc()) {
        throw new AssertionError(archive + ": entry " + name + " fails its CRC");
      }
      return Optional.of(bytes);
    }
  }

  /** One entry's bytes; fails the test if the archive lacks it. */
  static byte[] entry(Path archive, String name) throws IOException {
    return read(archive, name).orElseThrow(() -> new AssertionError(archive + " has no entry " + name));
  }

  /** Whether the archive has the entry (its central directory lists it). */
  static boolean contains(Path archive, String name) throws IOException {
    try (ZipFile zip = open(archive)) {
      return zip.getEntry(name) != null;
    }
  }
}
