package io.geneva;

import io.geneva.internal.io.FileOpener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link FileOpener} that records every file the pipeline opens. Thread-safe. */
public final class RecordingOpener implements FileOpener {
  private final Set<Path> opened = ConcurrentHashMap.newKeySet();

  @Override
  public InputStream open(Path file) throws IOException {
    opened.add(file);
    return Files.newInputStream(file);
  }

  /** The files opened so far. */
  public Set<Path> opened() {
    return Set.copyOf(opened);
  }
}
