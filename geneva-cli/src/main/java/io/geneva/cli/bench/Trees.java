package io.geneva.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-tree chores for the bench: copy, list, re-date and delete. Files are streamed, never held in memory. */
final class Trees {
  private Trees() {}

  /**
   * Copies the tree {@code from} to {@code to}. With {@code keepTimes}, files and directories keep
   * their modification times (so a corpus copy stays dated 2024-01-01); without, copied files are
   * stamped {@code stamp}.
   */
  static void copy(Path from, Path to, boolean keepTimes, FileTime stamp) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Path target = to.resolve(from.relativize(file).toString());
            if (keepTimes) {
              Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
              Files.copy(file, target);
              Files.setLastModifiedTime(target, stamp);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Path target = to.resolve(from.relativize(dir).toString());
            Files.setLastModifiedTime(target, keepTimes ? Files.getLastModifiedTime(dir) : stamp);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Every regular file under {@code root} (or {@code root} itself if it is a file), sorted by path. */
  static List<Path> regularFiles(Path root) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  /** Deletes a tree if it exists. */
  static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Total size of the regular files. */
  static long size(List<Path> files) throws IOException {
    long sum = 0;
    for (Path f : files) {
      sum += Files.size(f);
    }
    return sum;
  }
}
