package io.geneva.internal.pack;

import io.geneva.internal.fingerprint.FingerprintIndex;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import java.util.HashMap;
import java.util.Map;

/**
 * The shard keys of a directory's previous plan, as its fingerprint index recorded them with the
 * entries they were planned from ({@link FingerprintIndex.PlannedShard#files()} is 0 where it did not
 * record a shard's membership, which is then never reused).
 */
final class IndexKeyMemo implements ShardPlanner.KeyMemo {
  private final FingerprintIndex index;
  private final Map<String, FingerprintIndex.PlannedShard> byFirst;

  private IndexKeyMemo(FingerprintIndex index, Map<String, FingerprintIndex.PlannedShard> byFirst) {
    this.index = index;
    this.byFirst = byFirst;
  }

  /** The memo of this index's plan, or none if it records no shard's membership. */
  static ShardPlanner.KeyMemo of(FingerprintIndex index) {
    Map<String, FingerprintIndex.PlannedShard> byFirst = new HashMap<>();
    for (FingerprintIndex.PlannedShard s : index.plan()) {
      if (s.files() > 0) {
        byFirst.put(s.first(), s);
      }
    }
    return byFirst.isEmpty() ? ShardPlanner.KeyMemo.NONE : new IndexKeyMemo(index, byFirst);
  }

  @Override
  public String key(String first, String last, int files) {
    FingerprintIndex.PlannedShard s = byFirst.get(first);
    return s != null && s.files() == files && s.last().equals(last) ? s.key() : null;
  }

  @Override
  public boolean changed(Fingerprint file, boolean volatileNow) {
    String path = file.file().relativePath();
    if (file.change() == Change.UNCHANGED && index.quiet(path)) {
      // The entry vouched for this file as it is (size and digest) and is not volatile.
      return volatileNow;
    }
    FingerprintIndex.Entry e = index.entry(path);
    if (volatileNow) {
      // Volatile then and now, it was in no shard of the plan; its content does not matter here.
      return e == null || !e.volatileFile();
    }
    return e == null
        || e.volatileFile()
        || e.size() != file.file().size()
        || !e.sha256().equals(file.sha256());
  }
}
