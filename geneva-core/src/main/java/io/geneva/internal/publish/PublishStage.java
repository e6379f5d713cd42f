package io.geneva.internal.publish;

import io.geneva.ProgressEvent.Phase;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.internal.progress.Phases;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The publish stage of a start: loads the home's record of what the storage root holds, chooses how
 * many uploads run at once, and has the {@link Publisher} send what the storage lacks, then the
 * manifest.
 */
public final class PublishStage {
  /** Uploads in flight at once to a storage that is not on this machine. */
  static final int REMOTE_UPLOADS = 8;

  private final Storage storage;
  private final Path home;
  private final ExecutorService localPool;
  private final Clock clock;
  private final Duration recheckAfter;
  private final boolean verify;
  private final Phases phases;
  private final Consumer<String> warnings;

  /**
   * @param storage where to publish
   * @param home the Geneva home, which holds the record of stored objects
   * @param localPool runs the commits of a storage on this machine
   * @param clock for the record's times
   * @param recheckAfter age after which the record is confirmed against the storage again
   * @param verify whether stored packages are read back and checked
   * @param phases reports the publish phase
   * @param warnings receives what the report should warn about
   */
  public PublishStage(
      Storage storage,
      Path home,
      ExecutorService localPool,
      Clock clock,
      Duration recheckAfter,
      boolean verify,
      Phases phases,
      Consumer<String> warnings) {
    this.storage = storage;
    this.home = home;
    this.localPool = localPool;
    this.clock = clock;
    this.recheckAfter = recheckAfter;
    this.verify = verify;
    this.phases = phases;
    this.warnings = warnings;
  }

  /** Publishes the packages to ship, then the manifest. */
  public Publisher.Result run(List<PackedPackage> shipped, ObjectKey manifestKey, byte[] manifestBytes) {
    long t = phases.begin(Phase.PUBLISH, shipped.size(), "packages");
    KnownObjects known = KnownObjects.load(home.resolve("known"), storage.root(), warnings);
    // A local store commits by rename, which is CPU work; a remote one waits on the network, so it
    // gets more uploads in flight than there are cores.
    boolean local = storage.localStaging().isPresent();
    ExecutorService uploads =
        local ? localPool : Executors.newFixedThreadPool(REMOTE_UPLOADS, ThreadFactories.daemon("geneva-upload"));
    Publisher.Result published;
    try {
      published = new Publisher(
              storage,
              known,
              uploads,
              clock,
              recheckAfter,
              verify,
              phases.progress(Phase.PUBLISH, -1))
          .publish(shipped, manifestKey, manifestBytes);
    } finally {
      if (!local) {
        uploads.shutdownNow();
      }
    }
    phases.end(Phase.PUBLISH, "publish", t, published.bytesUploaded(), "bytes");
    for (ObjectKey k : published.replaced()) {
      warnings.accept("storage held a corrupt or truncated " + k + "; it was replaced");
    }
    for (ObjectKey k : published.lost()) {
      if (!published.replaced().contains(k)) {
        warnings.accept("storage no longer held " + k + " (deleted since it was last confirmed, by gc or another"
            + " tool); it was uploaded again");
      }
    }
    return published;
  }
}
