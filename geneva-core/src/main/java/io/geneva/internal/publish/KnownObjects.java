package io.geneva.internal.publish;

import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.AtomicFiles;
import io.geneva.spi.ObjectKey;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The local record of which objects a storage root is known to hold (and their sizes), with when
 * that was last confirmed, so an unchanged start needs no round trip to storage. It is a cache: a
 * damaged line is ignored, and entries older than the re-check age are asked about again.
 *
 * <p>Saved by merge-then-atomic-rename, so concurrent sessions never corrupt it (at worst one loses
 * the other's additions and re-checks them). Not thread-safe.
 */
public final class KnownObjects {
  private static final String HEADER = "geneva-known-objects 1";

  private record Known(long size, long confirmedMillis) {}

  private final Path file;
  private final Map<ObjectKey, Known> known;
  private final java.util.Set<ObjectKey> forgotten = new java.util.HashSet<>();

  private KnownObjects(Path file, Map<ObjectKey, Known> known) {
    this.file = file;
    this.known = known;
  }

  /** Loads the record for a storage root from {@code directory}. */
  public static KnownObjects load(Path directory, URI root, Consumer<String> problems) {
    Path file = directory.resolve(Sha256.of(root.toString()).substring(0, 32) + ".known");
    return new KnownObjects(file, read(file, problems));
  }

  private static Map<ObjectKey, Known> read(Path file, Consumer<String> problems) {
    Map<ObjectKey, Known> map = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (!HEADER.equals(header)) {
        problems.accept("record of stored objects " + file + " has an unknown format; checking storage instead");
        return map;
      }
      for (String line; (line = r.readLine()) != null; ) {
        String[] parts = line.split(" ", 3);
        try {
          map.put(ObjectKey.of(parts[2]), new Known(Long.parseLong(parts[1]), Long.parseLong(parts[0])));
        } catch (RuntimeException damaged) {
          // A damaged line only costs one existence check.
        }
      }
    } catch (NoSuchFileException e) {
      return map;
    } catch (IOException | RuntimeException e) {
      problems.accept("record of stored objects " + file + " is unreadable (" + e.getMessage() + "); checking storage instead");
      map.clear();
    }
    return map;
  }

  /**
   * Whether the object is known to be stored with this size, confirmed no earlier than {@code maxAge}
   * before {@code now}. A zero age trusts nothing.
   */
  public boolean isFresh(ObjectKey key, long size, Instant now, Duration maxAge) {
    Known k = known.get(key);
    return k != null
        && !maxAge.isZero()
        && (size < 0 || k.size == size)
        && k.confirmedMillis >= now.minus(maxAge).toEpochMilli()
        && k.confirmedMillis <= now.toEpochMilli() + 60_000;
  }

  /** Records that storage holds these objects as of {@code now}. */
  public void confirm(Map<ObjectKey, Long> sizes, Instant now) {
    sizes.forEach((k, s) -> known.put(k, new Known(s, now.toEpochMilli())));
    forgotten.removeAll(sizes.keySet());
  }

  /** Forgets objects (deleted, or found missing). */
  public void forget(Collection<ObjectKey> keys) {
    keys.forEach(known::remove);
    forgotten.addAll(keys);
  }

  /** Merges with what is on disk now and writes atomically. */
  public void save() throws IOException {
    Map<ObjectKey, Known> merged = read(file, problem -> {});
    merged.keySet().removeAll(forgotten);
    merged.putAll(known);
    AtomicFiles.write(
        file,
        raw -> {
          BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8));
          w.write(HEADER);
          w.newLine();
          for (Map.Entry<ObjectKey, Known> e : merged.entrySet()) {
            w.write(e.getValue().confirmedMillis + " " + e.getValue().size + " " + e.getKey().path());
            w.newLine();
          }
          w.flush();
        });
  }
}
