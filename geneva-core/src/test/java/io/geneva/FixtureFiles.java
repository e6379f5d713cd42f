package io.geneva;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds classpath trees on disk for pipeline tests. Every file it writes gets the mtime {@link
 * #PAST}, far from any run's start, so the fingerprint index never treats it as racy and tests do
 * not depend on the wall clock.
 */
public final class FixtureFiles {
  /** The mtime every fixture file gets. */
  public static final Instant PAST = Instant.parse("2021-06-01T10:00:00Z");

  /** A run start far after {@link #PAST} and after today, for an injected clock. */
  public static final Instant LATER = Instant.parse("2031-01-01T00:00:00Z");

  private FixtureFiles() {}

  /** Writes a file (creating parents) with mtime {@link #PAST}. */
  public static Path write(Path file, byte[] content) {
    return write(file, content, PAST);
  }

  /** Writes a UTF-8 text file (creating parents) with mtime {@link #PAST}. */
  public static Path write(Path file, String content) {
    return write(file, content.getBytes(StandardCharsets.UTF_8), PAST);
  }

  /** Writes a file (creating parents) with this mtime. */
  public static Path write(Path file, byte[] content, Instant mtime) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, content);
      Files.setLastModifiedTime(file, FileTime.from(mtime));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets the mtime of a file. */
  public static void touch(Path file, Instant mtime) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(mtime));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets the mtime of every regular file under a directory. */
  public static void touchAll(Path dir, Instant mtime) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(p -> touch(p, mtime));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deterministic pseudo-random bytes (incompressible). */
  public static byte[] randomBytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A class-directory-like tree of {@code count} small files ({@code com/acme/pN/ClassM.class}, 200
   * to 1,200 bytes of deterministic content), returning their relative paths in sorted order.
   */
  public static List<String> classTree(Path dir, int count, long seed) {
    Random random = new Random(seed);
    List<String> paths = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String rel = String.format("com/acme/p%02d/Class%04d.class", i % 17, i);
      byte[] content = new byte[200 + random.nextInt(1000)];
      // Half text-like (compressible), half random: a mix, like real class files.
      for (int j = 0; j < content.length; j++) {
        content[j] = (byte) (j % 2 == 0 ? 'a' + (j + i) % 26 : random.nextInt());
      }
      write(dir.resolve(rel), content);
      paths.add(rel);
    }
    paths.sort(null);
    return paths;
  }

  /** Writes a jar holding these entries (a manifest first), with mtime {@link #PAST}. */
  public static Path jar(Path file, Map<String, byte[]> entries) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      java.util.jar.Manifest mf = new java.util.jar.Manifest();
      mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (OutputStream raw = Files.newOutputStream(file);
          JarOutputStream jar = new JarOutputStream(raw, mf)) {
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
          JarEntry entry = new JarEntry(e.getKey());
          entry.setTime(PAST.toEpochMilli());
          jar.putNextEntry(entry);
          jar.write(e.getValue());
          jar.closeEntry();
        }
      }
      touch(file, PAST);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lower-case hex SHA-256 of these bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) {
    return sha256(read(file));
  }

  /** A file's bytes. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The local file of a {@code file:} URI, such as a report's manifest URI. */
  public static Path fileOf(String uri) {
    return Path.of(URI.create(uri));
  }

  /** The file holding a package of a file storage rooted at {@code storeDir}. */
  public static Path storedPackage(Path storeDir, String sha256) {
    return storeDir.resolve("packages/sha256/" + sha256.substring(0, 2) + "/" + sha256 + ".jar");
  }

  /** Every regular file under a directory, relative and '/'-separated, sorted. */
  public static List<String> listFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<String> out = new ArrayList<>();
      walk.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
