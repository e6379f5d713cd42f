package io.geneva.internal.gc;

import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.util.Durations;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
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
import java.util.Optional;
import java.util.Set;

/**
 * Deletes what no kept manifest references, and never what one does.
 *
 * <p>Kept manifests are the newest {@code keep} ones, or those written within {@code olderThan}, and
 * always those written within the grace period. A session writes the manifest it uses on every
 * publish, so a manifest's time in storage is its last use: "newest" means most recently used.
 *
 * <p>Racing a session that is publishing (issue 15 item 4, the class of Ray's bug #46625):
 *
 * <ol>
 *   <li>Packages are listed first, so one uploaded after this point is never a candidate, and one
 *       younger than the grace period is never deleted.
 *   <li>Manifests are listed and every kept one is read; if one cannot be read, nothing is deleted.
 *   <li>Manifests are listed again just before deleting: one that appeared or was written again
 *       meanwhile (a session published or reused it) is kept and read, and what it references is
 *       spared; an unkept manifest written again meanwhile is not deleted.
 *   <li>Unkept manifests are deleted first, then unreferenced packages.
 * </ol>
 *
 * <p>On its side a session confirms every package after writing its manifest, those it uploaded itself
 * included, and uploads again what is gone ({@link io.geneva.internal.publish.Publisher}). Uploads
 * stream: one may begin while the session is still packing, long before its manifest exists, so an
 * upload's youth (the grace period) is not what protects it; the confirmation is. A package therefore
 * stays missing only if this collector read the manifests before the session wrote its manifest and
 * deleted the package after the session's confirmation: both the session's manifest write and its
 * confirmation would have to fall between step 3 and the deletion call, and the package would have to
 * be older than the grace period then.
 *
 * <p>Time comes from the injected clock; objects' times come from storage.
 */
public final class GarbageCollector {
  private final Storage storage;
  private final Duration grace;
  private final Clock clock;

  /**
   * @param storage the storage to clean
   * @param grace packages and manifests younger than this are never deleted
   * @param clock the current time, compared with the times storage gives objects
   */
  public GarbageCollector(Storage storage, Duration grace, Clock clock) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace is negative: " + grace);
    }
  }

  /**
   * A manifest kept, and why.
   *
   * @param key the manifest
   * @param lastUsed its time in storage: when a session last published or used it
   * @param reason why it was kept, for people
   */
  public record Kept(ObjectKey key, Instant lastUsed, String reason) {}

  /**
   * What a collection kept and deleted (or, in a dry run, would delete).
   *
   * @param kept manifests kept, most recently used first, with why
   * @param deleted objects deleted, manifests first
   * @param bytesFreed their total size
   * @param sparedYoung unreferenced packages kept because they are younger than the grace period
   */
  public record Result(List<Kept> kept, List<ObjectKey> deleted, long bytesFreed, int sparedYoung) {
    /** Checks and copies the components. */
    public Result {
      kept = List.copyOf(kept);
      deleted = List.copyOf(deleted);
    }

    /** The kept manifests' keys. */
    public List<ObjectKey> keptManifests() {
      return kept.stream().map(Kept::key).toList();
    }
  }

  /**
   * Collects.
   *
   * @param keepNewest keep this many most recently used manifests, if present
   * @param olderThan delete manifests not used for this long, if present
   * @param dryRun report without deleting
   */
  public Result collect(Optional<Integer> keepNewest, Optional<Duration> olderThan, boolean dryRun) {
    if (keepNewest.isPresent() == olderThan.isPresent()) {
      throw new IllegalArgumentException("exactly one of keepNewest and olderThan is required");
    }
    Instant now = clock.instant();
    Instant youngest = now.minus(grace);
    // Packages first: one a session uploads after this listing is not a candidate at all.
    List<StoredObject> packages = storage.list(ObjectKey.PACKAGES);
    List<StoredObject> manifests = new ArrayList<>(storage.list(ObjectKey.MANIFESTS));
    manifests.sort(Comparator.comparing(StoredObject::lastModified).reversed().thenComparing(StoredObject::key));
    List<Kept> kept = new ArrayList<>();
    Map<ObjectKey, StoredObject> dropped = new LinkedHashMap<>();
    for (int i = 0; i < manifests.size(); i++) {
      StoredObject m = manifests.get(i);
      Optional<String> reason = reason(m, i, keepNewest, olderThan, now, youngest);
      if (reason.isPresent()) {
        kept.add(new Kept(m.key(), m.lastModified(), reason.get()));
      } else {
        dropped.put(m.key(), m);
      }
    }
    Set<ObjectKey> referenced = new HashSet<>();
    for (Kept m : kept) {
      referenced.addAll(references(m.key()));
    }
    recheck(manifests, kept, dropped, referenced);

    List<ObjectKey> deleted = new ArrayList<>();
    long freed = 0;
    for (StoredObject m : dropped.values()) {
      deleted.add(m.key());
      freed += m.size();
      if (!dryRun) {
        storage.delete(m.key());
      }
    }
    int spared = 0;
    for (StoredObject p : packages) {
      if (referenced.contains(p.key())) {
        continue;
      }
      if (!p.lastModified().isBefore(youngest)) {
        spared++;
        continue;
      }
      deleted.add(p.key());
      freed += p.size();
      if (!dryRun) {
        storage.delete(p.key());
      }
    }
    // Class data (classdata/<manifest digest>/...) goes with its manifest: kept while the manifest is.
    Set<ObjectKey> keptManifests = new HashSet<>();
    kept.forEach(k -> keptManifests.add(k.key()));
    for (StoredObject c : storage.list(CLASS_DATA)) {
      String rest = c.key().path().substring(CLASS_DATA.length());
      int slash = rest.indexOf('/');
      String digest = slash < 0 ? "" : rest.substring(0, slash);
      if (digest.matches("[0-9a-f]{64}") && keptManifests.contains(ObjectKey.forManifest(digest))) {
        continue;
      }
      if (!c.lastModified().isBefore(youngest)) {
        spared++;
        continue;
      }
      deleted.add(c.key());
      freed += c.size();
      if (!dryRun) {
        storage.delete(c.key());
      }
    }
    return new Result(kept, deleted, freed, spared);
  }

  /** Where class-data caches are stored, one directory per manifest digest (see WarmStart). */
  static final String CLASS_DATA = "classdata/";

  private Optional<String> reason(
      StoredObject m, int rank, Optional<Integer> keepNewest, Optional<Duration> olderThan, Instant now, Instant youngest) {
    if (keepNewest.isPresent() && rank < keepNewest.get()) {
      return Optional.of("one of the " + keepNewest.get() + " most recently used");
    }
    if (olderThan.isPresent() && m.lastModified().isAfter(now.minus(olderThan.get()))) {
      return Optional.of("used within " + Durations.typed(olderThan.get()));
    }
    if (!m.lastModified().isBefore(youngest)) {
      return Optional.of("used within the grace period (" + Durations.typed(grace) + "); a session may be using it");
    }
    return Optional.empty();
  }

  /**
   * Lists the manifests again: one published or used since the first listing is kept, read, and what
   * it references is spared, since a session may be about to hand it to workers.
   */
  private void recheck(
      List<StoredObject> listed, List<Kept> kept, Map<ObjectKey, StoredObject> dropped, Set<ObjectKey> referenced) {
    Map<ObjectKey, Instant> before = new HashMap<>();
    listed.forEach(m -> before.put(m.key(), m.lastModified()));
    Set<ObjectKey> present = new HashSet<>();
    for (StoredObject m : storage.list(ObjectKey.MANIFESTS)) {
      present.add(m.key());
      if (m.lastModified().equals(before.get(m.key()))) {
        continue;
      }
      kept.removeIf(k -> k.key().equals(m.key()));
      kept.add(0, new Kept(m.key(), m.lastModified(), "published or used while gc ran"));
      dropped.remove(m.key());
      referenced.addAll(references(m.key()));
    }
    // Deleted by someone else meanwhile: nothing to do.
    dropped.keySet().retainAll(present);
  }

  private Set<ObjectKey> references(ObjectKey manifestKey) {
    Set<ObjectKey> keys = new HashSet<>();
    try (InputStream in = storage.open(manifestKey)) {
      Manifest m = ManifestCodec.decode(in, storage.uri(manifestKey).toString(), manifestKey.digest().orElse(null));
      for (Manifest.Package p : m.classpath()) {
        keys.add(ObjectKey.of(p.key()));
      }
    } catch (IOException | IntegrityException | IllegalArgumentException e) {
      throw new StorageException(
          "kept manifest " + manifestKey + " cannot be read (" + e.getMessage()
              + "), so what it references is unknown; gc deleted nothing. Delete or repair that manifest first");
    }
    return keys;
  }
}
