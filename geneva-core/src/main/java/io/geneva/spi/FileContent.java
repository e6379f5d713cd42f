package io.geneva.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** {@link Content} backed by a file. */
final class FileContent implements Content {
  private final Path file;
  private final long size;
  private final String sha256;

  FileContent(Path file, long size, String sha256) {
    this.file = Objects.requireNonNull(file, "file");
    this.size = size;
    this.sha256 = Objects.requireNonNull(sha256, "sha256");
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public String sha256() {
    return sha256;
  }

  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  @Override
  public Optional<Path> file() {
    return Optional.of(file);
  }

  @Override
  public String toString() {
    return file + " (" + size + " bytes, sha256 " + sha256 + ")";
  }
}
