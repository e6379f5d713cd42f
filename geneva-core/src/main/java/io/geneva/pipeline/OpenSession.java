package io.geneva.pipeline;

import io.geneva.GenevaSession;
import io.geneva.Manifest;
import io.geneva.StartupReport;
import io.geneva.spi.Storage;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/** The session {@link StartupPipeline#open} returns. Thread-safe. */
final class OpenSession implements GenevaSession {
  private final Manifest manifest;
  private final StartupReport report;
  private final Storage storage;
  private final boolean ownsStorage;
  private final AtomicBoolean closed = new AtomicBoolean();

  OpenSession(Manifest manifest, StartupReport report, Storage storage, boolean ownsStorage) {
    this.manifest = manifest;
    this.report = report;
    this.storage = storage;
    this.ownsStorage = ownsStorage;
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public String manifestDigest() {
    return report.manifestDigest();
  }

  @Override
  public URI manifestUri() {
    return URI.create(report.manifestUri());
  }

  @Override
  public StartupReport startupReport() {
    return report;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsStorage) {
      storage.close();
    }
  }

  @Override
  public String toString() {
    return "GenevaSession[manifest " + report.manifestUri() + "]";
  }
}
