package io.geneva.internal.pack;

import io.geneva.EntryKind;
import io.geneva.StartupReport;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Advice where the classpath's layout defeats caching. */
final class Advice {
  /** A re-sent package this much larger than what changed in it is worth a word. */
  private static final long WASTE_BYTES = 1L << 20;

  private Advice() {}

  static void forEntry(Packer.PackedEntry packed, Predicate<String> isVolatile, List<String> advice) {
    if (!packed.entry().directory()) {
      PackedPackage jar = packed.packages().get(0);
      if (packed.entry().kind() == EntryKind.WORKSPACE
          && jar.reason().equals("changed content")
          && jar.size() >= WASTE_BYTES) {
        advice.add(
            jar.source() + " (" + StartupReport.bytes(jar.size()) + ") changed and is re-sent whole;"
                + " put the project's classes directory on the classpath instead of its jar, so only"
                + " the shards with changed classes are re-sent");
      }
      return;
    }
    List<String> volatileFiles = new ArrayList<>();
    long volatileBytes = 0;
    long changedBytes = 0;
    for (Fingerprint f : packed.fingerprints()) {
      if (isVolatile.test(f.file().relativePath())) {
        volatileFiles.add(f.file().relativePath());
        volatileBytes += f.file().size();
      }
      if (f.change() == Change.CHANGED || f.change() == Change.ADDED) {
        changedBytes += f.file().size();
      }
    }
    long rebuilt = 0;
    for (PackedPackage p : packed.packages()) {
      rebuilt += p.bytesPacked();
    }
    if (!volatileFiles.isEmpty()) {
      advice.add(
          volatileFiles.size() + " file(s) in " + packed.entry().path() + " change on most runs ("
              + String.join(", ", volatileFiles.subList(0, Math.min(3, volatileFiles.size())))
              + (volatileBytes >= WASTE_BYTES ? ", " + StartupReport.bytes(volatileBytes) + " in all" : "")
              + "); Geneva ships them in a small shard of their own, but moving them out of the"
              + " classpath directory avoids re-sending anything");
    } else if (changedBytes > 0 && rebuilt > WASTE_BYTES && rebuilt > 10 * changedBytes) {
      advice.add(
          StartupReport.bytes(rebuilt) + " of " + packed.entry().path() + " was re-packed for "
              + StartupReport.bytes(changedBytes) + " of changed files; a file that changes every run"
              + " next to large files forces this: move it out of the classpath directory");
    }
  }
}
