package io.geneva.internal.publish;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.fingerprint.StaleFingerprintException;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Decides what to upload and uploads it: this is where "nothing to send" is decided.
 *
 * <ol>
 *   <li>One probe of the manifest. If storage has it, the local record of stored objects is trusted
 *       for every object it confirmed recently; if not, nothing in the record is trusted (the manifest
 *       is written last and garbage-collected first, so its presence vouches for its packages).
 *   <li>One batched existence-and-size check for what is left.
 *   <li>Optionally, reading back every stored package to check its digest.
 *   <li>Parallel uploads of what is missing, each verified by the storage; then the manifest.
 * </ol>
 */
public final class Publisher {
  /** A stored manifest older than this is written again when it is used (see gc --older-than). */
  public static final Duration MANIFEST_REFRESH = Duration.ofDays(1);

  private final Storage storage;
  private final KnownObjects known;
  private final ExecutorService pool;
  private final Clock clock;
  private final Clock storageClock;
  private final Duration recheckAfter;
  private final boolean verify;
  private final LongConsumer uploaded;

  /**
   * @param storage where to publish
   * @param known the local record of what storage holds; updated and saved here
   * @param pool runs uploads
   * @param clock for the record's times
   * @param storageClock the clock storage stamps objects with (the system clock), to judge their age
   * @param recheckAfter how long a confirmation is trusted
   * @param verify whether to read back stored packages and check digests
   * @param uploaded receives bytes uploaded as each package completes
   */
  public Publisher(
      Storage storage,
      KnownObjects known,
      ExecutorService pool,
      Clock clock,
      Clock storageClock,
      Duration recheckAfter,
      boolean verify,
      LongConsumer uploaded) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.known = Objects.requireNonNull(known, "known");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.storageClock = Objects.requireNonNull(storageClock, "storageClock");
    this.recheckAfter = Objects.requireNonNull(recheckAfter, "recheckAfter");
    this.verify = verify;
    this.uploaded = Objects.requireNonNull(uploaded, "uploaded");
  }

  /**
   * What publishing did.
   *
   * @param uploaded keys of the packages written this run
   * @param bytesUploaded bytes written, manifest included
   * @param replaced keys of stored objects found corrupt or truncated and written again
   * @param manifestWritten whether the manifest was written this run
   */
  public record Result(Set<ObjectKey> uploaded, long bytesUploaded, Set<ObjectKey> replaced, boolean manifestWritten) {}

  /** Publishes the packages, then the manifest. */
  public Result publish(List<PackedPackage> packages, ObjectKey manifestKey, byte[] manifestBytes) {
    Instant now = clock.instant();
    Map<ObjectKey, PackedPackage> byKey = new LinkedHashMap<>();
    for (PackedPackage p : packages) {
      byKey.putIfAbsent(p.key(), p);
    }
    Map<ObjectKey, Long> sizes = new LinkedHashMap<>();
    byKey.forEach((k, p) -> sizes.put(k, p.size()));

    Optional<StoredObject> storedManifest = storage.stat(manifestKey);
    boolean manifestStored = storedManifest.map(o -> o.size() == manifestBytes.length).orElse(false);
    // gc --older-than judges a manifest by its time in storage: one in use is written again now and
    // then, so it stays young while a classpath keeps being started unchanged.
    boolean refreshManifest =
        manifestStored
            && storedManifest.get().lastModified().isBefore(storageClock.instant().minus(MANIFEST_REFRESH));
    Map<ObjectKey, Long> toCheck = new LinkedHashMap<>();
    sizes.forEach(
        (k, s) -> {
          if (!manifestStored || !known.isFresh(k, s, now, recheckAfter)) {
            toCheck.put(k, s);
          }
        });
    Map<ObjectKey, OptionalLong> found = toCheck.isEmpty() ? Map.of() : storage.findMissing(toCheck);
    Set<ObjectKey> missing = new HashSet<>(found.keySet());
    Set<ObjectKey> replaced = new HashSet<>();
    found.forEach((k, storedSize) -> {
      if (storedSize.isPresent()) {
        replaced.add(k); // present with a wrong size: truncated
      }
    });
    if (verify) {
      for (ObjectKey k : sizes.keySet()) {
        if (!missing.contains(k) && !storedMatches(k)) {
          missing.add(k);
          replaced.add(k); // present with the right size and the wrong content: corrupt
        }
      }
    }
    known.forget(missing);

    AtomicLong bytes = new AtomicLong();
    List<Future<?>> uploads = new ArrayList<>();
    // Largest first, so the biggest object is not the one left uploading alone at the end.
    List<ObjectKey> order = new ArrayList<>(byKey.keySet());
    order.sort(java.util.Comparator.comparingLong((ObjectKey k) -> byKey.get(k).size()).reversed());
    for (ObjectKey k : order) {
      if (missing.contains(k)) {
        PackedPackage p = byKey.get(k);
        uploads.add(
            pool.submit(
                () -> {
                  put(k, p);
                  bytes.addAndGet(p.size());
                  uploaded.accept(p.size());
                }));
      }
    }
    io.geneva.internal.concurrent.Tasks.awaitAll(uploads, "uploading to " + storage.root());
    boolean manifestWritten = false;
    if (!manifestStored || refreshManifest) {
      storage.put(manifestKey, Content.ofBytes(manifestBytes));
      bytes.addAndGet(manifestBytes.length);
      manifestWritten = true;
    }
    // Confirm only what storage was asked about or given now: trusting the record must not renew it.
    Map<ObjectKey, Long> confirmed = new LinkedHashMap<>(toCheck);
    if (!manifestStored || !known.isFresh(manifestKey, manifestBytes.length, now, recheckAfter)) {
      confirmed.put(manifestKey, (long) manifestBytes.length);
    }
    if (!confirmed.isEmpty() || !missing.isEmpty()) {
      known.confirm(confirmed, clock.instant());
      try {
        known.save();
      } catch (IOException e) {
        // Only a cache: the next session checks storage instead.
      }
    }
    return new Result(Set.copyOf(missing), bytes.get(), Set.copyOf(replaced), manifestWritten);
  }

  private void put(ObjectKey key, PackedPackage p) {
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
