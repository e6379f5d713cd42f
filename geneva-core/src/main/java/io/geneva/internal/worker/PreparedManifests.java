package io.geneva.internal.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests a worker has bootstrapped, by manifest URI, so a manifest used again is ready at
 * once. At most {@code maximum} are kept; beyond that the least recently used one leaves. A manifest
 * that leaves, evicted or on {@link #close()}, is {@linkplain Bootstrapper.Prepared#release()
 * released}: its class loader closed and its node-cache lease given back, before the call that made
 * it leave returns.
 *
 * <p>Hand-written rather than a Caffeine cache: at four entries Caffeine's policy buys nothing, and
 * loading it costs a fresh worker 50 to 90 ms before its first task (README, Dependencies; {@code
 * CacheStartBench}).
 *
 * <p>Thread-safe.
 */
final class PreparedManifests implements AutoCloseable {
  private final int maximum;
  /** In access order: the least recently used first. */
  private final Map<URI, Bootstrapper.Prepared> prepared = new LinkedHashMap<>(8, 0.75f, true);

  /** Keeps at most {@code maximum} manifests. */
  PreparedManifests(int maximum) {
    if (maximum < 1) {
      throw new IllegalArgumentException("maximum < 1: " + maximum);
    }
    this.maximum = maximum;
  }

  /** The manifest bootstrapped from this URI, if it is still kept; a use that keeps it longer. */
  synchronized Optional<Bootstrapper.Prepared> get(URI manifestUri) {
    return Optional.ofNullable(prepared.get(manifestUri));
  }

  /**
   * Keeps a newly bootstrapped manifest, releasing the least recently used one if there are now too
   * many (or the one it replaces, if the URI was kept already).
   */
  void put(Bootstrapper.Prepared p) {
    List<Bootstrapper.Prepared> leaving = new ArrayList<>(1);
    synchronized (this) {
      Bootstrapper.Prepared replaced = prepared.put(p.manifestUri(), p);
      if (replaced != null && replaced != p) {
        leaving.add(replaced);
      }
      for (Iterator<Bootstrapper.Prepared> eldest = prepared.values().iterator(); prepared.size() > maximum; ) {
        leaving.add(eldest.next());
        eldest.remove();
      }
    }
    release(leaving);
  }

  /** How many manifests are kept. */
  synchronized int size() {
    return prepared.size();
  }

  /** Releases every kept manifest. Idempotent. */
  @Override
  public void close() {
    List<Bootstrapper.Prepared> leaving;
    synchronized (this) {
      leaving = new ArrayList<>(prepared.values());
      prepared.clear();
    }
    release(leaving);
  }

  /** Releases each, all of them even if one fails; the first failure is thrown. */
  private static void release(List<Bootstrapper.Prepared> leaving) {
    RuntimeException failure = null;
    for (Bootstrapper.Prepared p : leaving) {
      try {
        p.release();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
