package io.geneva.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens source files for reading; the one seam through which the pipeline reads file content. */
@FunctionalInterface
public interface FileOpener {
  /**
   * The default: a {@link java.nio.channels.FileChannel} read into the caller's array, the cheapest
   * open and read the JDK offers (measurably cheaper than {@link Files#newInputStream} when ten
   * thousand small class files are opened).
   */
  FileOpener DEFAULT = file -> java.nio.channels.Channels.newInputStream(java.nio.channels.FileChannel.open(file));

  /** Opens a file; the caller closes the stream. */
  InputStream open(Path file) throws IOException;
}
