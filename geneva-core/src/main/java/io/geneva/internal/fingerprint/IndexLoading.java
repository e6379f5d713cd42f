package io.geneva.internal.fingerprint;

import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.classpath.ScannedEntry;
import io.geneva.internal.concurrent.Tasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The fingerprint indexes of a classpath, loading in the background: one shared by every jar, and one
 * per directory. The walk of the classpath is bound by stat calls, which do not spread over cores on
 * every machine, so the index files load on another core meanwhile.
 */
public final class IndexLoading {
  private final Future<FingerprintIndex> jars;
  private final Map<Path, Future<FingerprintIndex>> directories;

  private IndexLoading(Future<FingerprintIndex> jars, Map<Path, Future<FingerprintIndex>> directories) {
    this.jars = jars;
    this.directories = directories;
  }

  /** Starts loading the indexes of these entries from {@code indexDir}; damaged ones are reported and rebuilt. */
  public static IndexLoading start(
      Path indexDir, List<ClasspathEntry> entries, ExecutorService pool, Consumer<String> warnings) {
    Future<FingerprintIndex> jars =
        pool.submit(() -> FingerprintIndex.load(FingerprintIndex.sharedFileIndex(indexDir), warnings));
    Map<Path, Future<FingerprintIndex>> directories = new LinkedHashMap<>();
    for (ClasspathEntry e : entries) {
      if (e.directory()) {
        directories.put(
            e.path(), pool.submit(() -> FingerprintIndex.load(FingerprintIndex.fileFor(indexDir, e.path()), warnings)));
      }
    }
    return new IndexLoading(jars, directories);
  }

  /** Waits for the indexes and returns each scanned entry's: its own for a directory, the shared one for a jar. */
  public Indexes await(List<ScannedEntry> scanned) {
    Tasks.awaitAll(List.of(jars), "loading the fingerprint index");
    Tasks.awaitAll(directories.values(), "loading the fingerprint index");
    List<FingerprintIndex> byEntry = new ArrayList<>(scanned.size());
    for (ScannedEntry s : scanned) {
      byEntry.add(Tasks.done(s.entry().directory() ? directories.get(s.entry().path()) : jars));
    }
    return new Indexes(byEntry, Tasks.done(jars));
  }

  /**
   * The loaded indexes.
   *
   * @param byEntry each scanned entry's index, in classpath order
   * @param jars the index shared by every jar
   */
  public record Indexes(List<FingerprintIndex> byEntry, FingerprintIndex jars) {
    /** Copies the list. */
    public Indexes {
      byEntry = List.copyOf(byEntry);
    }
  }
}
