package io.geneva.internal.worker;

import io.geneva.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The small properties files through which a local cluster and its workers find each other: written
 * whole to a temporary name and renamed, so a reader sees the old file or the new one, never a mix.
 */
public final class StateFile {
  private StateFile() {}

  /** The file's properties; empty if it does not exist. */
  public static Properties read(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      // An empty record.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Replaces the file with these properties atomically. */
  public static void write(Path file, Properties properties, String comment) throws IOException {
    AtomicFiles.write(file, out -> properties.store(out, comment));
  }
}
