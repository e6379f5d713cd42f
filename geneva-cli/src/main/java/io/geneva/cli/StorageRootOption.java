package io.geneva.cli;

import io.geneva.Geneva;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --storage} option, optional: without it, the embedded default storage under the Geneva
 * home, as {@code Geneva.connect()} uses.
 */
final class StorageRootOption {
  @Option(
      names = "--storage",
      paramLabel = "URI",
      description = "Storage root: s3://bucket/prefix, file:///path or a local path"
          + " (default: the storage directory under the Geneva home).")
  String storage;

  /** The text as given, if any. */
  Optional<String> text() {
    return Optional.ofNullable(storage);
  }

  /** The root URI, normalised the way {@code Geneva.connect(String)} does. */
  URI root(Path home) {
    return storage == null ? home.resolve("storage").toUri() : parse(storage);
  }

  /** A storage root as {@code Geneva.connect(String)} reads it. */
  static URI parse(String text) {
    return Geneva.storageRoot(text);
  }
}
