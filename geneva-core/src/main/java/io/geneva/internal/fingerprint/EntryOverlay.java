package io.geneva.internal.fingerprint;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A directory's index entries as the next run records them, kept as the changes to the index's own
 * entries: a run that changed one file of 100,000 need not copy the other 99,999, and the index saves
 * it by appending the changes ({@link FingerprintIndex#save}). Reads see through to the index's map;
 * iterating materializes the whole map once. Read-only; not thread-safe.
 */
final class EntryOverlay extends AbstractMap<String, FingerprintIndex.Entry> {
  private final Map<String, FingerprintIndex.Entry> base;
  private final Set<String> baseEventful;
  private final Map<String, FingerprintIndex.Entry> upserts;
  private final Set<String> removals;
  private final int size;
  private Map<String, FingerprintIndex.Entry> materialized;

  /**
   * @param base the index's live entries
   * @param baseEventful the paths of the base's eventful entries, kept with it
   * @param upserts entries that differ from the base or are not in it
   * @param removals paths in the base that are gone
   */
  EntryOverlay(
      Map<String, FingerprintIndex.Entry> base,
      Set<String> baseEventful,
      Map<String, FingerprintIndex.Entry> upserts,
      Set<String> removals) {
    this.base = base;
    this.baseEventful = baseEventful;
    this.upserts = upserts;
    this.removals = removals;
    int added = 0;
    for (String path : upserts.keySet()) {
      added += base.containsKey(path) ? 0 : 1;
    }
    this.size = base.size() - removals.size() + added;
  }

  /** Whether this overlays exactly {@code entries} (the same map, not an equal one). */
  boolean over(Map<String, FingerprintIndex.Entry> entries) {
    return base == entries;
  }

  Map<String, FingerprintIndex.Entry> upserts() {
    return Collections.unmodifiableMap(upserts);
  }

  Set<String> removals() {
    return Collections.unmodifiableSet(removals);
  }

  @Override
  public FingerprintIndex.Entry get(Object key) {
    FingerprintIndex.Entry changed = upserts.get(key);
    if (changed != null) {
      return changed;
    }
    return removals.contains(key) ? null : base.get(key);
  }

  /**
   * Whether the file at {@code path} is volatile as the next run records it, without looking up the
   * base's entry of a quiet file (a volatile entry is always eventful).
   */
  boolean volatileFile(String path) {
    FingerprintIndex.Entry changed = upserts.get(path);
    if (changed != null) {
      return changed.volatileFile();
    }
    if (baseEventful.isEmpty() || !baseEventful.contains(path) || removals.contains(path)) {
      return false;
    }
    FingerprintIndex.Entry e = base.get(path);
    return e != null && e.volatileFile();
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Map.Entry<String, FingerprintIndex.Entry>> entrySet() {
    if (materialized == null) {
      Map<String, FingerprintIndex.Entry> all = new HashMap<>(base);
      all.keySet().removeAll(removals);
      all.putAll(upserts);
      materialized = Collections.unmodifiableMap(all);
    }
    return materialized.entrySet();
  }
}
