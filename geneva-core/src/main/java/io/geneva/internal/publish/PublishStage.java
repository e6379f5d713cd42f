package io.geneva.internal.publish;

import io.geneva.GenevaException;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The publish stage of a start: loads the home's record of what the storage root holds, chooses how
 * many uploads run at once, and has the {@link Publisher} send what the storage lacks, then the
 * manifest.
 *
 * <p>Publishing streams: {@link #offer} takes each package as soon as the pack stage has it final,
 * and its upload starts at once, while later packages are still fingerprinted and packed; {@link
 * #finish} writes the manifest once every package is in storage. The publish phase is timed from its
 * first request to storage, so it overlaps the fingerprint and pack phases; {@code publishAfterPack}
 * is the part of it that ran after packing and the manifest were done, which is what the start waited
 * for. Not thread-safe except {@link #offer}; close it, which cancels what is still running.
 */
public final class PublishStage implements AutoCloseable {
  /** Uploads in flight at once to a storage that is not on this machine. */
  static final int REMOTE_UPLOADS = 8;

  private final Storage storage;
  private final Phases phases;
  private final Consumer<String> warnings;
  private final boolean local;
  private final ExecutorService uploads;
  private final Publisher publisher;
  private final AtomicLong publishStart = new AtomicLong();
  private final CountDownLatch startRecorded = new CountDownLatch(1);

  /**
   * Starts a publication; nothing is asked of storage until a package is offered or it finishes.
   *
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
      ForkJoinPool localPool,
      Clock clock,
      Duration recheckAfter,
      boolean verify,
      Phases phases,
      Consumer<String> warnings) {
    this.storage = storage;
    this.phases = phases;
    this.warnings = warnings;
    KnownObjects known = KnownObjects.load(home.resolve("known"), storage.root(), warnings);
    // A local store commits by rename, which is CPU work; a remote one waits on the network, so it
    // gets more uploads in flight than there are cores (and a thread more for the checks).
    this.local = storage.localStaging().isPresent();
    this.uploads =
        local ? localPool : Executors.newFixedThreadPool(REMOTE_UPLOADS + 1, ThreadFactories.daemon("geneva-upload"));
    int parallelism = local ? localPool.getParallelism() : REMOTE_UPLOADS;
    this.publisher = new Publisher(storage, known, uploads, parallelism, clock, recheckAfter, verify,
        phases.progress(Phase.PUBLISH, -1), this::started);
  }

  private void started() {
    publishStart.set(phases.begin(Phase.PUBLISH, -1, "packages"));
    startRecorded.countDown();
  }

  /** Takes a final package to ship: its upload starts as soon as storage is found to lack it. */
  public void offer(PackedPackage p) {
    publisher.offer(p);
  }

  /** Publishes every package to ship (those not offered yet too), then the manifest. */
  public Publisher.Result finish(List<PackedPackage> shipped, ObjectKey manifestKey, byte[] manifestBytes) {
    long handedOver = System.nanoTime();
    Publisher.Result published = publisher.finish(shipped, manifestKey, manifestBytes);
    long end = System.nanoTime();
    // The first request always precedes the manifest write, on some thread; its time is recorded
    // before that request is made.
    awaitStartRecorded();
    long begun = publishStart.get();
    phases.end(Phase.PUBLISH, "publish", begun, end, published.bytesUploaded(), "bytes");
    phases.record("publishAfterPack", (end - Math.max(begun, handedOver)) / 1_000_000);
    for (ObjectKey k : published.replaced()) {
      warnings.accept("storage held a corrupt or truncated " + k + "; it was replaced");
    }
    for (ObjectKey k : published.lost()) {
      if (!published.replaced().contains(k)) {
        warnings.accept("storage no longer held " + k + " (deleted since it was last confirmed or uploaded, by gc"
            + " or another tool); it was uploaded again");
      }
    }
    return published;
  }

  private void awaitStartRecorded() {
    try {
      startRecorded.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GenevaException("interrupted while publishing to " + storage.root(), e);
    }
  }

  /** Cancels what is still running and waits for it; shuts down the upload threads it started. */
  @Override
  public void close() {
    try {
      publisher.close();
    } finally {
      if (!local) {
        uploads.shutdownNow();
      }
    }
  }
}
