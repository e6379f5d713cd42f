package io.geneva.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens source files for reading; the one seam through which the pipeline reads file content. */
@FunctionalInterface
public interface FileOpener {
  /** The default: {@link Files#newInputStream}. */
  FileOpener DEFAULT = Files::newInputStream;

  /** Opens a file; the caller closes the stream. */
  InputStream open(Path file) throws IOException;
}
