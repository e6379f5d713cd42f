package io.geneva.internal.publish;

import io.geneva.GenevaException;
import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.fingerprint.StaleFingerprintException;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Decides what to upload and uploads it: this is where "nothing to send" is decided. Packages may be
 * {@linkplain #offer offered} one by one while later ones are still being packed, and uploads start at
 * once; {@link #finish} then publishes the manifest.
 *
 * <ol>
 *   <li>Batched existence-and-size checks ({@link Storage#findMissing}) of the packages the local
 *       record of stored objects cannot vouch for (none on an unchanged start). One check runs at a
 *       time, and only when the uploads would otherwise run dry or 64 packages have gathered;
 *       packages offered meanwhile wait for the next, so a stream of packages costs a few batches,
 *       and everything offered before {@link #finish} (or given to it) one batch.
 *   <li>Optionally, reading back every stored package to check its digest.
 *   <li>Uploads of what is missing, each verified by the storage, the largest waiting one first: a
 *       quarter of {@code parallelism} at once while packages are still being offered (so uploads
 *       do not starve the packing the manifest waits for), all of it once {@link #finish} is called.
 *   <li>The manifest, written on every publish once every package is uploaded: a damaged or deleted
 *       one is replaced at once, and its time in storage is its last use, which is what gc's
 *       retention counts.
 *   <li>One batched check of every package, uploaded here or not, whatever the record says, and the
 *       upload of any that storage no longer holds (deleted by an operator, a lifecycle rule, or a gc
 *       that ran meanwhile: an upload that began while the classpath was still being packed may be
 *       older than gc's grace period by the time the manifest exists). Only then is the publish a
 *       success: the record is never trusted alone.
 * </ol>
 *
 * <p>An unchanged start therefore costs one manifest write (a few KB) and one {@code findMissing}
 * (one listing on S3, a stat per package on a file system), and reads no file content.
 *
 * <p>The first failure (a check, an upload, a package that changed after it was fingerprinted)
 * cancels the other uploads, and {@link #offer} and {@link #finish} throw it. {@link #close()} stops
 * what is still running and waits for it. Thread-safe.
 */
public final class Publisher implements AutoCloseable {
  private static final long CLOSE_WAIT_SECONDS = 60;
  /** Packages gathered before a check is due even while the uploads have work. */
  private static final int CHECK_BATCH = 64;

  private final Storage storage;
  private final KnownObjects known;
  private final ExecutorService pool;
  private final int parallelism;
  private final Clock clock;
  private final Duration recheckAfter;
  private final boolean verify;
  private final LongConsumer uploaded;
  private final Runnable started;
  private final AtomicBoolean firstRequest = new AtomicBoolean();
  private final Instant now;

  private final Object lock = new Object();
  // Everything below is guarded by lock.
  /** Every package offered, by key (the first one offered for a key). */
  private final Map<ObjectKey, PackedPackage> offered = new LinkedHashMap<>();
  /** Offered, not vouched for by the record, and not asked about yet (the manifest's key too). */
  private final Map<ObjectKey, Long> unchecked = new LinkedHashMap<>();
  private final PriorityQueue<PackedPackage> waiting =
      new PriorityQueue<>(Comparator.comparingLong(PackedPackage::size).reversed().thenComparing(PackedPackage::sha256));
  private final Set<ObjectKey> missing = new HashSet<>();
  private final Set<ObjectKey> replaced = new HashSet<>();
  private final Set<FutureTask<?>> running = new HashSet<>();
  private ObjectKey manifestKey;
  private boolean manifestNew;
  private boolean checking;
  private int uploading;
  private int active;
  private long bytes;
  private RuntimeException failure;
  private boolean finishing;
  private boolean closed;

  /**
   * A publisher that runs at most four uploads at once and reports nothing when it starts.
   *
   * @see #Publisher(Storage, KnownObjects, ExecutorService, int, Clock, Duration, boolean, LongConsumer, Runnable)
   */
  public Publisher(
      Storage storage,
      KnownObjects known,
      ExecutorService pool,
      Clock clock,
      Duration recheckAfter,
      boolean verify,
      LongConsumer uploaded) {
    this(storage, known, pool, 4, clock, recheckAfter, verify, uploaded, () -> {});
  }

  /**
   * @param storage where to publish
   * @param known the local record of what storage holds; updated and saved here
   * @param pool runs checks and uploads; not shut down here
   * @param parallelism uploads in flight at once
   * @param clock for the record's times
   * @param recheckAfter how long a confirmation spares the check before uploading (the check after
   *     the manifest is written is never spared)
   * @param verify whether to read back stored packages and check digests
   * @param uploaded receives bytes uploaded as each package completes
   * @param started runs once, on the thread of the first request to storage, before it
   */
  public Publisher(
      Storage storage,
      KnownObjects known,
      ExecutorService pool,
      int parallelism,
      Clock clock,
      Duration recheckAfter,
      boolean verify,
      LongConsumer uploaded,
      Runnable started) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.known = Objects.requireNonNull(known, "known");
    this.pool = Objects.requireNonNull(pool, "pool");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.parallelism = parallelism;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recheckAfter = Objects.requireNonNull(recheckAfter, "recheckAfter");
    this.verify = verify;
    this.uploaded = Objects.requireNonNull(uploaded, "uploaded");
    this.started = Objects.requireNonNull(started, "started");
    this.now = clock.instant();
  }

  /**
   * What publishing did.
   *
   * @param uploaded keys of the packages written this run, {@code lost} ones included
   * @param bytesUploaded bytes written: packages, and the manifest when storage lacked it (rewriting
   *     a stored manifest to renew its age is not counted)
   * @param replaced keys of stored objects found corrupt or truncated and written again
   * @param lost keys of packages storage no longer held when checked after the manifest was written
   *     (whether believed stored, or uploaded by this publish); written again
   * @param manifestNew whether storage lacked the manifest (or held it with another size)
   */
  public record Result(
      Set<ObjectKey> uploaded, long bytesUploaded, Set<ObjectKey> replaced, Set<ObjectKey> lost, boolean manifestNew) {}

  /** Publishes the packages, then the manifest, then confirms that storage holds every package. */
  public Result publish(List<PackedPackage> packages, ObjectKey manifestKey, byte[] manifestBytes) {
    try {
      return finish(packages, manifestKey, manifestBytes);
    } finally {
      close();
    }
  }

  /**
   * Takes a package that is final (its bytes are where its content says, and will stay there until
   * this publisher is closed): it is checked and, if storage lacks it, uploaded as soon as a check and
   * an upload slot are free. Returns at once. Offering a key again does nothing.
   *
   * @throws RuntimeException the first failure of this publication, if it failed
   */
  public void offer(PackedPackage p) {
    synchronized (lock) {
      throwIfFailed();
      if (closed || finishing) {
        throw new IllegalStateException("publication is " + (closed ? "closed" : "finishing") + "; cannot add " + p.source());
      }
      add(p);
      startCheck();
    }
  }

  /**
   * Publishes: every package not offered yet is added, and once storage holds every one of them, the
   * manifest is written and every package confirmed.
   *
   * @param packages every package the manifest references, in order
   * @throws RuntimeException the first failure of this publication
   */
  public Result finish(List<PackedPackage> packages, ObjectKey manifestKey, byte[] manifestBytes) {
    Map<ObjectKey, PackedPackage> byKey = new LinkedHashMap<>();
    for (PackedPackage p : packages) {
      byKey.putIfAbsent(p.key(), p);
    }
    synchronized (lock) {
      throwIfFailed();
      finishing = true;
      byKey.values().forEach(this::add);
      // A manifest the record does not know is asked about too, so that writing it again is counted
      // as an upload only when storage lacked it.
      this.manifestKey = manifestKey;
      if (!known.isFresh(manifestKey, manifestBytes.length, now, recheckAfter)) {
        unchecked.put(manifestKey, (long) manifestBytes.length);
      }
      startCheck();
      startUploads();
      awaitIdle();
    }

    // Written every time, after the packages: a damaged manifest (even one of the right size) is
    // replaced by the next publish, and gc --keep counts the last use, not the first write.
    requestStarts();
    storage.put(manifestKey, Content.ofBytes(manifestBytes));

    // Confirmed after the manifest is written, every package: one deleted before this check (an
    // operator, a lifecycle rule, a gc that listed manifests before this one existed, even one this
    // publish uploaded long before the manifest existed) is uploaded again, so the manifest this
    // publish returns never references a package storage lacks.
    Map<ObjectKey, Long> sizes = new LinkedHashMap<>();
    byKey.forEach((k, p) -> sizes.put(k, p.size()));
    Map<ObjectKey, OptionalLong> gone = sizes.isEmpty() ? Map.of() : storage.findMissing(sizes);
    Set<ObjectKey> lost = new HashSet<>(gone.keySet());
    synchronized (lock) {
      gone.forEach((k, storedSize) -> {
        if (storedSize.isPresent()) {
          replaced.add(k);
        }
      });
      known.forget(lost);
      for (ObjectKey k : lost) {
        missing.add(k);
        waiting.add(byKey.get(k));
      }
      startUploads();
      awaitIdle();
      if (manifestNew) {
        bytes += manifestBytes.length;
      }
      Map<ObjectKey, Long> confirmed = new LinkedHashMap<>(sizes);
      confirmed.put(manifestKey, (long) manifestBytes.length);
      known.confirm(confirmed, clock.instant());
      try {
        known.save();
      } catch (IOException e) {
        // Only a cache: the next session checks storage instead.
      }
      return new Result(Set.copyOf(missing), bytes, Set.copyOf(replaced), Set.copyOf(lost), manifestNew);
    }
  }

  /**
   * Stops the publication: cancels what is waiting or running and waits for what runs to end, so
   * nothing reads a staged file after this returns. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      waiting.clear();
      unchecked.clear();
      cancelRunning();
      // Bounded: an upload that ignores its cancellation must not hang the failed start for ever.
      boolean interrupted = false;
      for (int second = 0; active > 0 && second < CLOSE_WAIT_SECONDS; second++) {
        try {
          lock.wait(1000);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- under lock ----

  private void add(PackedPackage p) {
    // Verifying reads back every stored package, so the record vouches for none.
    if (offered.putIfAbsent(p.key(), p) == null && (verify || !known.isFresh(p.key(), p.size(), now, recheckAfter))) {
      unchecked.put(p.key(), p.size());
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  private void startCheck() {
    if (!checking && checkDue()) {
      checking = true;
      submit(this::checkBatches);
    }
  }

  /**
   * Whether to ask storage about what waits now: when the uploads would otherwise run dry, when
   * enough has gathered for a full batch, or when publishing is finishing. Asking about each package
   * as it arrives would cost a listing per package on S3 while the uploads have work anyway.
   */
  private boolean checkDue() {
    return !unchecked.isEmpty()
        && (finishing || uploading + waiting.size() < inFlightLimit() || unchecked.size() >= CHECK_BATCH);
  }

  /**
   * Uploads in flight at once: a quarter of the parallelism while packing still goes on, so that the
   * uploads (and, on one machine, the storage serving them) do not starve the packing that the
   * manifest waits for; all of it once the last package is in.
   */
  private int inFlightLimit() {
    return finishing ? parallelism : Math.max(1, parallelism / 4);
  }

  private void startUploads() {
    while (uploading < inFlightLimit() && !waiting.isEmpty()) {
      PackedPackage p = waiting.poll();
      uploading++;
      submit(() -> upload(p));
    }
  }

  private void submit(Runnable work) {
    Task task = new Task(work);
    running.add(task);
    pool.execute(task);
  }

  /** A check or an upload, counted while it runs so that {@link #close()} can wait for it. */
  private final class Task extends FutureTask<Void> {
    Task(Runnable work) {
      super(work, null);
    }

    @Override
    public void run() {
      synchronized (lock) {
        running.remove(this);
        if (failure != null || closed) {
          lock.notifyAll();
          return;
        }
        running.add(this);
        active++;
      }
      try {
        super.run();
      } finally {
        synchronized (lock) {
          active--;
          running.remove(this);
          lock.notifyAll();
        }
      }
    }
  }

  /** Waits until nothing is checked, waiting or uploading, or the publication failed. */
  private void awaitIdle() {
    try {
      while (failure == null && (checking || !unchecked.isEmpty() || !waiting.isEmpty() || uploading > 0)) {
        lock.wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = new GenevaException("interrupted while uploading to " + storage.root(), e);
      cancelRunning();
    }
    throwIfFailed();
  }

  private void cancelRunning() {
    // A shared fork-join pool's threads are not ours to interrupt; a commit there is a rename.
    boolean interrupt = !(pool instanceof ForkJoinPool);
    for (FutureTask<?> t : running) {
      t.cancel(interrupt);
    }
    running.clear();
  }

  // ---- on the pool's threads ----

  /** Records the first failure and stops the rest; called before the failed work stops counting. */
  private void fail(Throwable t) {
    synchronized (lock) {
      if (failure == null && !closed) {
        failure = t instanceof RuntimeException r ? r : new GenevaException("publishing to " + storage.root() + " failed: " + t, t);
        waiting.clear();
        unchecked.clear();
        cancelRunning();
      }
      lock.notifyAll();
    }
  }

  /** Asks storage about what was offered, batch after batch, until nothing is left to ask about. */
  private void checkBatches() {
    requestStarts();
    while (true) {
      Map<ObjectKey, Long> batch;
      synchronized (lock) {
        if (!checkDue() || failure != null || closed) {
          checking = false;
          lock.notifyAll();
          return;
        }
        batch = new LinkedHashMap<>(unchecked);
        unchecked.clear();
      }
      Map<ObjectKey, OptionalLong> found;
      try {
        found = new HashMap<>(storage.findMissing(batch));
        if (verify) {
          for (ObjectKey k : batch.keySet()) {
            if (k.path().startsWith(ObjectKey.PACKAGES) && !found.containsKey(k) && !storedMatches(k)) {
              found.put(k, OptionalLong.of(batch.get(k))); // the right size and the wrong content: corrupt
            }
          }
        }
      } catch (RuntimeException | Error e) {
        fail(e); // first, so that no one waiting sees an idle publication in between
        synchronized (lock) {
          checking = false;
          lock.notifyAll();
        }
        return;
      }
      synchronized (lock) {
        if (manifestKey != null && batch.containsKey(manifestKey)) {
          manifestNew = found.remove(manifestKey) != null;
        }
        known.forget(found.keySet());
        found.forEach((k, storedSize) -> {
          if (storedSize.isPresent()) {
            replaced.add(k); // present with a wrong size (truncated) or content (corrupt)
          }
          if (missing.add(k)) {
            waiting.add(offered.get(k));
          }
        });
        startUploads();
      }
    }
  }

  private void upload(PackedPackage p) {
    boolean done = false;
    try {
      put(p.key(), p);
      done = true;
    } catch (RuntimeException | Error e) {
      fail(e); // first, so that no one waiting sees an idle publication in between
    } finally {
      synchronized (lock) {
        uploading--;
        if (done) {
          bytes += p.size();
        }
        startUploads();
        startCheck();
        lock.notifyAll();
      }
    }
    if (done) {
      uploaded.accept(p.size());
    }
  }

  private void requestStarts() {
    if (firstRequest.compareAndSet(false, true)) {
      started.run();
    }
  }

  private void put(ObjectKey key, PackedPackage p) {
    requestStarts();
    if (p.staged().isPresent() && storage.localStaging().isPresent()) {
      storage.localStaging().get().commit(p.staged().get(), key);
      return;
    }
    Content content = p.content().get();
    try {
      storage.put(key, content);
    } catch (IntegrityException e) {
      throw new StaleFingerprintException(
          content.file(),
          p.source() + " changed after it was fingerprinted (" + e.getMessage() + "); run again once it is stable",
          e);
    }
  }

  private boolean storedMatches(ObjectKey key) {
    try (InputStream in = storage.open(key)) {
      return Sha256.hashStream(in).sha256().equals(key.digest().orElse(""));
    } catch (StorageException | IntegrityException | IOException e) {
      // Missing, unreadable, or found corrupt by a storage that checks digests as it reads.
      return false;
    }
  }
}
