package io.geneva.internal.report;

import io.geneva.StartupReport;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last few startup reports of each classpath, under {@code <home>/history/<classpath id>/}, so
 * {@code geneva explain} can say what changed since the previous package and why each package was
 * re-sent. Writes are atomic; a damaged report is skipped.
 */
public final class ReportHistory {
  /** Reports kept per classpath. */
  public static final int KEEP = 20;

  private final Path directory;

  /** The history under a Geneva home. */
  public ReportHistory(Path home) {
    this.directory = home.resolve("history");
  }

  /** Identifies a classpath in a storage root: a digest of the root and the entries' absolute paths. */
  public static String classpathId(URI storageRoot, List<Path> entries) {
    StringBuilder sb = new StringBuilder(storageRoot.toString()).append('\n');
    entries.forEach(p -> sb.append(p).append('\n'));
    return Sha256.of(sb.toString()).substring(0, 24);
  }

  /**
   * One stored report.
   *
   * @param time when it was recorded
   * @param report the report
   */
  public record Entry(Instant time, StartupReport report) {}

  /** Records a report; keeps the newest {@link #KEEP}. */
  public void record(String classpathId, Instant time, StartupReport report) throws IOException {
    Path dir = directory.resolve(classpathId);
    String name = String.format("%020d-%s.json", time.toEpochMilli(), report.manifestDigest().substring(0, 12));
    AtomicFiles.writeString(dir.resolve(name), report.toJson());
    List<Path> all = files(dir);
    for (int i = 0; i < all.size() - KEEP; i++) {
      Files.deleteIfExists(all.get(i)); // oldest first: names start with the zero-padded time
    }
  }

  /** The newest reports of a classpath, newest first, at most {@code limit}. */
  public List<Entry> latest(String classpathId, int limit) throws IOException {
    Path dir = directory.resolve(classpathId);
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> all = files(dir);
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      Path p = all.get(i);
      try {
        String name = p.getFileName().toString();
        Instant time = Instant.ofEpochMilli(Long.parseLong(name.substring(0, name.indexOf('-'))));
        out.add(new Entry(time, StartupReport.fromJson(Files.readString(p, StandardCharsets.UTF_8))));
      } catch (RuntimeException damaged) {
        // Skip a report that cannot be read; the rest of the history is still useful.
      }
    }
    return out;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = new ArrayList<>();
      s.forEach(p -> {
        String name = p.getFileName().toString();
        if (name.endsWith(".json")) {
          names.add(name);
        }
      });
      names.sort(null);
      List<Path> paths = new ArrayList<>(names.size());
      names.forEach(n -> paths.add(dir.resolve(n)));
      return paths;
    }
  }
}
