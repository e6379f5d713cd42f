package io.geneva.cli.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floors, each run by the bench as a fresh JVM so that it pays what a fresh {@code geneva}
 * process pays to start: {@code java -cp geneva.jar io.geneva.cli.bench.Floors MODE ...}. Modes:
 *
 * <ul>
 *   <li>{@code stat ROOT...}: walks each root and reads every entry's attributes (what an unchanged
 *       start must at least do);
 *   <li>{@code sha ROOT...}: SHA-256 of every byte of every regular file, on {@value #THREADS} threads;
 *   <li>{@code copy OUT ROOT...}: the same, writing every byte into a new file of the empty
 *       directory {@code OUT} (what a file-store cold start must at least do).
 * </ul>
 *
 * It prints {@code elapsedMillis N files F bytes B}, the time measured inside the process. Not public:
 * the {@code java} launcher runs a public {@code main} of a package-private class.
 */
final class Floors {
  static final int THREADS = 2;
  static final String STAT = "stat";
  static final String SHA = "sha";
  static final String COPY = "copy";

  private Floors() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || !List.of(STAT, SHA, COPY).contains(args[0]) || (args[0].equals(COPY) && args.length < 3)) {
      System.err.println("usage: Floors stat|sha ROOT... | Floors copy OUT ROOT...");
      System.exit(2);
    }
    long started = System.nanoTime();
    String mode = args[0];
    int firstRoot = mode.equals(COPY) ? 2 : 1;
    List<Path> roots = new ArrayList<>();
    for (int i = firstRoot; i < args.length; i++) {
      roots.add(Path.of(args[i]));
    }
    long files;
    long bytes;
    if (mode.equals(STAT)) {
      long[] counts = statWalk(roots);
      files = counts[0];
      bytes = counts[1];
    } else {
      List<Path> all = new ArrayList<>();
      for (Path root : roots) {
        all.addAll(Trees.regularFiles(root));
      }
      ByteBaselines baseline = new ByteBaselines(all);
      if (mode.equals(SHA)) {
        baseline.sha256Millis(THREADS);
      } else {
        baseline.copyMillis(THREADS, Path.of(args[1]));
      }
      files = baseline.fileCount();
      bytes = baseline.bytes();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(Locale.ROOT, "elapsedMillis %d files %d bytes %d%n", millis, files, bytes);
  }

  /** Regular files and their total size, found by walking the roots and reading every entry's attributes. */
  static long[] statWalk(List<Path> roots) throws IOException {
    long[] counts = new long[2];
    for (Path root : roots) {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                counts[0]++;
                counts[1] += attrs.size();
              }
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return counts;
  }

  /** The in-process milliseconds from a line {@code elapsedMillis N ...}. */
  static long elapsedMillis(String output) {
    for (String line : output.split("\n")) {
      String[] words = line.strip().split(" ");
      if (words.length >= 2 && words[0].equals("elapsedMillis")) {
        return Long.parseLong(words[1]);
      }
    }
    throw new IllegalArgumentException("a floor process printed no elapsedMillis line: " + output.strip());
  }
}
