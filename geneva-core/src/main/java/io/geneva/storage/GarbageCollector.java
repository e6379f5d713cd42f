package io.geneva.storage;

import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.manifest.ManifestCodec;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes what no kept manifest references, and never what one does.
 *
 * <p>Kept manifests are the newest {@code keep} ones, or those written within {@code olderThan}; a
 * session rewrites the manifest it uses on every publish, so
 * a manifest's time in storage tells when it was last used, to within a day. Every
 * kept manifest is read first; if one cannot be read, nothing is deleted. Unkept manifests go first,
 * then unreferenced packages, so a manifest in storage always has all its packages (sessions rely on
 * that). Packages younger than the grace period are spared: a session uploads its packages before
 * its manifest, and may be doing so right now.
 */
public final class GarbageCollector {
  private final Storage storage;
  private final Duration grace;

  /**
   * @param storage the storage to clean
   * @param grace packages younger than this are never deleted
   */
  public GarbageCollector(Storage storage, Duration grace) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /**
   * What a collection kept and deleted (or, in a dry run, would delete).
   *
   * @param keptManifests manifests kept
   * @param deleted objects deleted, manifests first
   * @param bytesFreed their total size
   * @param sparedYoung unreferenced packages kept because they are younger than the grace period
   */
  public record Result(List<ObjectKey> keptManifests, List<ObjectKey> deleted, long bytesFreed, int sparedYoung) {}

  /**
   * Collects.
   *
   * @param keepNewest keep this many newest manifests, if present
   * @param olderThan delete manifests older than this, if present
   * @param now the current time
   * @param dryRun report without deleting
   */
  public Result collect(Optional<Integer> keepNewest, Optional<Duration> olderThan, Instant now, boolean dryRun) {
    if (keepNewest.isPresent() == olderThan.isPresent()) {
      throw new IllegalArgumentException("exactly one of keepNewest and olderThan is required");
    }
    List<StoredObject> manifests = new ArrayList<>(storage.list(ObjectKey.MANIFESTS));
    manifests.sort(Comparator.comparing(StoredObject::lastModified).reversed().thenComparing(StoredObject::key));
    List<StoredObject> kept = new ArrayList<>();
    List<StoredObject> dropped = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      StoredObject m = manifests.get(i);
      boolean keep = keepNewest.isPresent()
          ? i < keepNewest.get()
          : m.lastModified().isAfter(now.minus(olderThan.get()));
      (keep ? kept : dropped).add(m);
    }
    Set<ObjectKey> referenced = new HashSet<>();
    for (StoredObject m : kept) {
      referenced.addAll(references(m.key()));
    }
    List<ObjectKey> deleted = new ArrayList<>();
    long freed = 0;
    for (StoredObject m : dropped) {
      deleted.add(m.key());
      freed += m.size();
      if (!dryRun) {
        storage.delete(m.key());
      }
    }
    int spared = 0;
    Instant youngest = now.minus(grace);
    for (StoredObject p : storage.list(ObjectKey.PACKAGES)) {
      if (referenced.contains(p.key())) {
        continue;
      }
      if (p.lastModified().isAfter(youngest)) {
        spared++;
        continue;
      }
      deleted.add(p.key());
      freed += p.size();
      if (!dryRun) {
        storage.delete(p.key());
      }
    }
    List<ObjectKey> keptKeys = new ArrayList<>();
    kept.forEach(m -> keptKeys.add(m.key()));
    return new Result(keptKeys, deleted, freed, spared);
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
