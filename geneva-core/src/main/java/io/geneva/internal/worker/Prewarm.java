package io.geneva.internal.worker;

import io.geneva.EntryKind;
import io.geneva.Manifest;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.spi.StorageProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Warms a fresh worker's bootstrap path in the background while the JVM starts and waits for its
 * first request: reads a manifest (Jackson's set-up, hundreds of milliseconds of interpreted code
 * in a fresh JVM, the larger part of a bootstrap that finds every package in the node cache) and
 * loads the storage providers. The first bootstrap then finds them ready, or waits for the
 * initialisation in progress instead of repeating it. Touches no file and no storage. A warm-start
 * cluster does the same in the session's JVM while the classpath is packaged, before it reads the
 * manifest to start its workers.
 */
public final class Prewarm {
  private Prewarm() {}

  /** Starts the warm-up in a daemon thread; a failure only costs the bootstrap its head start. */
  public static void start() {
    ThreadFactories.startDaemon("geneva-prewarm", Prewarm::run);
  }

  static void run() {
    try {
      Manifest sample = new Manifest(Manifest.FORMAT_VERSION,
          List.of(new Manifest.Package("packages/" + "0".repeat(64) + ".jar", "0".repeat(64), 1, EntryKind.DEPENDENCY),
              new Manifest.Package("packages/" + "1".repeat(64) + ".jar", "1".repeat(64), 1, EntryKind.DEPENDENCY,
                  "provided.jar")),
          new Manifest.Runtime(Runtime.version().feature(), "linux", "amd64"), List.of("-Dx=y"), Map.of("X", "y"), false);
      ManifestCodec.decode(new ByteArrayInputStream(ManifestCodec.encode(sample)), "a sample manifest", null);
      ServiceLoader.load(StorageProvider.class, Prewarm.class.getClassLoader()).forEach(StorageProvider::schemes);
    } catch (IOException | RuntimeException | LinkageError e) {
      System.err.println("geneva worker: warming up the bootstrap failed (" + e + "); the first bootstrap does it");
    }
  }
}
