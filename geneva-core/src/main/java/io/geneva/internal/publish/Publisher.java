package io.geneva.internal.publish;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>One batched existence-and-size check ({@link Storage#findMissing}) of the packages the local
 *       record of stored objects cannot vouch for (none on an unchanged start).
 *   <li>Optionally, reading back every stored package to check its digest.
 *   <li>Parallel uploads of what is missing, each verified by the storage.
 *   <li>The manifest, written on every publish: a damaged or deleted one is replaced at once, and its
 *       time in storage is its last use, which is what gc's retention counts.
 *   <li>One batched check of every package not uploaded in step 3, whatever the record says, and the
 *       upload of any that storage no longer holds (deleted by an operator, a lifecycle rule, or a gc
 *       that ran meanwhile). Only then is the publish a success: the record is never trusted alone.
 * </ol>
 *
 * <p>An unchanged start therefore costs one manifest write (a few KB) and one {@code findMissing}
 * (one listing on S3, a stat per package on a file system), and reads no file content.
 */
public final class Publisher {
  private final Storage storage;
  private final KnownObjects known;
  private final ExecutorService pool;
  private final Clock clock;
  private final Duration recheckAfter;
  private final boolean verify;
  private final LongConsumer uploaded;

  /**
   * @param storage where to publish
   * @param known the local record of what storage holds; updated and saved here
   * @param pool runs uploads
   * @param clock for the record's times
   * @param recheckAfter how long a confirmation spares the check before uploading (the check after
   *     the manifest is written is never spared)
   * @param verify whether to read back stored packages and check digests
   * @param uploaded receives bytes uploaded as each package completes
   */
  public Publisher(
      Storage storage,
      KnownObjects known,
      ExecutorService pool,
      Clock clock,
      Duration recheckAfter,
      boolean verify,
      LongConsumer uploaded) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.known = Objects.requireNonNull(known, "known");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recheckAfter = Objects.requireNonNull(recheckAfter, "recheckAfter");
    this.verify = verify;
    this.uploaded = Objects.requireNonNull(uploaded, "uploaded");
  }

  /**
   * What publishing did.
   *
   * @param uploaded keys of the packages written this run, {@code lost} ones included
   * @param bytesUploaded bytes written: packages, and the manifest when storage lacked it (rewriting
   *     a stored manifest to renew its age is not counted)
   * @param replaced keys of stored objects found corrupt or truncated and written again
   * @param lost keys of packages storage was believed to hold (by the record, or by the check before
   *     uploading) but no longer held when checked after the manifest was written; written again
   * @param manifestNew whether storage lacked the manifest (or held it with another size)
   */
  public record Result(
      Set<ObjectKey> uploaded, long bytesUploaded, Set<ObjectKey> replaced, Set<ObjectKey> lost, boolean manifestNew) {}

  /** Publishes the packages, then the manifest, then confirms that storage holds every package. */
  public Result publish(List<PackedPackage> packages, ObjectKey manifestKey, byte[] manifestBytes) {
    Instant now = clock.instant();
    Map<ObjectKey, PackedPackage> byKey = new LinkedHashMap<>();
    for (PackedPackage p : packages) {
      byKey.putIfAbsent(p.key(), p);
    }
    Map<ObjectKey, Long> sizes = new LinkedHashMap<>();
    byKey.forEach((k, p) -> sizes.put(k, p.size()));

    Map<ObjectKey, Long> toCheck = new LinkedHashMap<>();
    sizes.forEach(
        (k, s) -> {
          if (!known.isFresh(k, s, now, recheckAfter)) {
            toCheck.put(k, s);
          }
        });
    // A manifest the record does not know is asked about too, so that writing it again is counted as
    // an upload only when storage lacked it.
    boolean manifestKnown = known.isFresh(manifestKey, manifestBytes.length, now, recheckAfter);
    if (!manifestKnown) {
      toCheck.put(manifestKey, (long) manifestBytes.length);
    }
    Map<ObjectKey, OptionalLong> found = new HashMap<>(toCheck.isEmpty() ? Map.of() : storage.findMissing(toCheck));
    boolean manifestNew = found.remove(manifestKey) != null;
    toCheck.remove(manifestKey);
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
    upload(missing, byKey, bytes);

    // Written every time, after the packages: a damaged manifest (even one of the right size) is
    // replaced by the next publish, and gc --keep counts the last use, not the first write.
    storage.put(manifestKey, Content.ofBytes(manifestBytes));
    if (manifestNew) {
      bytes.addAndGet(manifestBytes.length);
    }

    // Confirmed after the manifest is written: a package deleted before this check (an operator, a
    // lifecycle rule, a gc that listed manifests before this one existed) is uploaded again, so the
    // manifest this publish returns never references a package storage lacks.
    Map<ObjectKey, Long> reused = new LinkedHashMap<>(sizes);
    reused.keySet().removeAll(missing);
    Map<ObjectKey, OptionalLong> gone = reused.isEmpty() ? Map.of() : storage.findMissing(reused);
    Set<ObjectKey> lost = new HashSet<>(gone.keySet());
    gone.forEach((k, storedSize) -> {
      if (storedSize.isPresent()) {
        replaced.add(k);
      }
    });
    known.forget(lost);
    upload(lost, byKey, bytes);
    missing.addAll(lost);

    Map<ObjectKey, Long> confirmed = new LinkedHashMap<>(sizes);
    confirmed.put(manifestKey, (long) manifestBytes.length);
    known.confirm(confirmed, clock.instant());
    try {
      known.save();
    } catch (IOException e) {
      // Only a cache: the next session checks storage instead.
    }
    return new Result(Set.copyOf(missing), bytes.get(), Set.copyOf(replaced), Set.copyOf(lost), manifestNew);
  }

  /** Uploads these packages in parallel, largest first, so the biggest is not left alone at the end. */
  private void upload(Set<ObjectKey> keys, Map<ObjectKey, PackedPackage> byKey, AtomicLong bytes) {
    if (keys.isEmpty()) {
      return;
    }
    List<Future<?>> uploads = new ArrayList<>();
    List<ObjectKey> order = new ArrayList<>(keys);
    order.sort(Comparator.comparingLong((ObjectKey k) -> byKey.get(k).size()).reversed().thenComparing(ObjectKey::path));
    for (ObjectKey k : order) {
      PackedPackage p = byKey.get(k);
      uploads.add(
          pool.submit(
              () -> {
                put(k, p);
                bytes.addAndGet(p.size());
                uploaded.accept(p.size());
              }));
    }
    io.geneva.internal.concurrent.Tasks.awaitAll(uploads, "uploading to " + storage.root());
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
