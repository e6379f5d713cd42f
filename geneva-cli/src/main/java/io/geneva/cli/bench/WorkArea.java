package io.geneva.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The bench's scratch directory: the corpus copies it modifies and the Geneva homes and stores of its
 * sessions. A directory the bench created is deleted by {@link #close()}; one the user named with
 * {@code --work} is kept, and marked so the next bench may reuse it.
 */
final class WorkArea implements AutoCloseable {
  static final String MARKER = ".geneva-bench";

  private final Path root;
  private final boolean temporary;

  /** A Geneva home and a file store for one or more sessions. */
  record Store(Path directory) {
    Path home() {
      return directory.resolve("home");
    }

    Path storage() {
      return directory.resolve("store");
    }
  }

  private WorkArea(Path root, boolean temporary) {
    this.root = root;
    this.temporary = temporary;
  }

  /**
   * The directory the user asked for (which must be new, empty, or left by an earlier bench), or a
   * fresh temporary directory.
   */
  static WorkArea create(Optional<Path> requested) throws IOException {
    if (requested.isEmpty()) {
      return new WorkArea(Files.createTempDirectory("geneva-bench-").toAbsolutePath().normalize(), true);
    }
    Path dir = requested.get().toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new BenchException("--work " + dir + " is not a directory; pass a new or empty directory");
    }
    if (Files.isDirectory(dir) && !isEmpty(dir)) {
      if (!Files.exists(dir.resolve(MARKER))) {
        throw new BenchException(
            "--work " + dir + " is not empty and was not made by geneva bench; pass a new or empty directory");
      }
      Trees.delete(dir);
    }
    Files.createDirectories(dir);
    Files.createFile(dir.resolve(MARKER));
    return new WorkArea(dir, false);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.findAny().isEmpty();
    }
  }

  Path root() {
    return root;
  }

  boolean temporary() {
    return temporary;
  }

  /** A directory under the work area (not created). */
  Path resolve(String name) {
    return root.resolve(name);
  }

  /** A fresh home and store under {@code runs/<name>}, replacing any left from before. */
  Store freshStore(String name) {
    Store store = new Store(root.resolve("runs").resolve(name));
    Trees.delete(store.directory());
    try {
      Files.createDirectories(store.directory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + store.directory(), e);
    }
    return store;
  }

  /** Deletes a store that is no longer needed, to keep the work area's footprint small. */
  void discard(Store store) {
    Trees.delete(store.directory());
  }

  /** Deletes the work area if the bench created it. */
  @Override
  public void close() {
    if (temporary) {
      Trees.delete(root);
    }
  }
}
