package io.geneva;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geneva.internal.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What opening a session did and what it cost: phase durations, files scanned, bytes hashed, packed
 * and uploaded, what storage already had, and for each package why it was rebuilt, with advice where
 * the classpath's layout defeats caching.
 *
 * <p>A value: immutable, thread-safe, and serialisable to JSON ({@link #toJson()}, {@link
 * #fromJson(String)}) with the field names documented on the components, which users and benchmarks
 * read.
 *
 * @param manifestDigest the manifest's SHA-256 (hex)
 * @param manifestUri where the manifest is stored
 * @param elapsedMillis in-process time of the whole pipeline
 * @param phases milliseconds spent in each phase, by name ({@code scan}, {@code fingerprint}, {@code
 *     pack}, {@code publish}, {@code manifest}), in pipeline order
 * @param files regular files found on the classpath (jars count as one file each)
 * @param filesHashed files whose content was read to hash it this run (index misses)
 * @param bytesScanned total size of those files
 * @param bytesHashed file content actually read this run to fingerprint it
 * @param bytesPacked bytes of archives built this run
 * @param bytesUploaded bytes sent to storage this run
 * @param packagesUploaded packages sent to storage this run
 * @param packagesReused packages storage already had
 * @param packages every package, in classpath order
 * @param advice how to change the layout to make later starts cheaper
 * @param warnings problems that did not stop the session (for example skipped classpath entries)
 */
public record StartupReport(
    String manifestDigest,
    String manifestUri,
    long elapsedMillis,
    Map<String, Long> phases,
    long files,
    long filesHashed,
    long bytesScanned,
    long bytesHashed,
    long bytesPacked,
    long bytesUploaded,
    int packagesUploaded,
    int packagesReused,
    List<PackageReport> packages,
    List<String> advice,
    List<String> warnings) {

  /** Jackson, for reading only, initialised on first use. */
  private static final class Reader {
    static final ObjectMapper JSON =
        new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Checks and copies the components; {@code phases} keeps its order. */
  public StartupReport {
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(manifestUri, "manifestUri");
    phases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    packages = List.copyOf(packages);
    advice = List.copyOf(advice);
    warnings = List.copyOf(warnings);
  }

  /**
   * The report as indented JSON, with the field names of the components. Written without Jackson,
   * whose start-up would cost a fresh JVM more than the report is worth; {@link #fromJson} reads it.
   */
  public String toJson() {
    JsonWriter json = JsonWriter.indented(1024 + packages.size() * 240);
    json.beginObject()
        .name("manifestDigest").value(manifestDigest)
        .name("manifestUri").value(manifestUri)
        .name("elapsedMillis").value(elapsedMillis)
        .name("phases").beginObject();
    phases.forEach((phase, millis) -> json.name(phase).value(millis));
    json.endObject()
        .name("files").value(files)
        .name("filesHashed").value(filesHashed)
        .name("bytesScanned").value(bytesScanned)
        .name("bytesHashed").value(bytesHashed)
        .name("bytesPacked").value(bytesPacked)
        .name("bytesUploaded").value(bytesUploaded)
        .name("packagesUploaded").value(packagesUploaded)
        .name("packagesReused").value(packagesReused)
        .name("packages").beginArray();
    for (PackageReport p : packages) {
      json.beginObject()
          .name("source").value(p.source())
          .name("kind").value(p.kind().name())
          .name("digest").value(p.digest())
          .name("size").value(p.size())
          .name("uploaded").value(p.uploaded())
          .name("reason").value(p.reason())
          .endObject();
    }
    json.endArray().name("advice").beginArray();
    advice.forEach(json::value);
    json.endArray().name("warnings").beginArray();
    warnings.forEach(json::value);
    return json.endArray().endObject().toString();
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if the text is not such a report
   */
  public static StartupReport fromJson(String json) {
    try {
      return Reader.JSON.readValue(json, StartupReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a Geneva startup report: " + e.getOriginalMessage(), e);
    }
  }

  /** A few lines for people: totals, phases, what changed and the advice. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Geneva packaged %s (%s) into %s in %s%n",
            count(files, "file", "files"),
            bytes(bytesScanned),
            count(packages.size(), "package", "packages"),
            millis(elapsedMillis)));
    out.append("  phases:");
    phases.forEach((name, ms) -> out.append(' ').append(name).append(' ').append(millis(ms)));
    out.append(System.lineSeparator());
    out.append(
        String.format(
            Locale.ROOT,
            "  %s · packed %s · %s · %,d already stored%n",
            filesHashed == 0 ? "hashed nothing" : "hashed " + bytes(bytesHashed) + " (" + count(filesHashed, "file", "files") + ")",
            bytes(bytesPacked),
            uploaded(),
            packagesReused));
    long provided = packages.stream().filter(p -> p.reason().equals(PackageReport.PROVIDED)).count();
    if (provided > 0) {
      out.append(String.format(Locale.ROOT, "  %s provided by the worker image (not uploaded)%n",
          provided == 1 ? "1 dependency jar is" : String.format(Locale.ROOT, "%,d dependency jars are", provided)));
    }
    out.append("  manifest ").append(manifestUri).append(System.lineSeparator());
    long fresh = packages.stream().filter(p -> p.reason().equals("new")).count();
    if (fresh > 1 && fresh == packages.size()) {
      out.append("  first package of this classpath from this Geneva home: all ").append(fresh)
          .append(" packages built or hashed anew")
          .append(System.lineSeparator());
    }
    int shown = 0;
    for (PackageReport p : packages) {
      if (fresh == packages.size() && fresh > 1) {
        break;
      }
      if (!p.reason().equals("unchanged")) {
        if (shown++ == 10) {
          out.append("  … and more changed packages (see the JSON report)").append(System.lineSeparator());
          break;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "  %s %s (%s): %s%n",
                p.uploaded() ? "sent" : "kept",
                p.source(),
                bytes(p.size()),
                p.reason()));
      }
    }
    for (String a : advice) {
      out.append("  advice: ").append(a).append(System.lineSeparator());
    }
    for (String w : warnings) {
      out.append("  warning: ").append(w).append(System.lineSeparator());
    }
    return out.toString();
  }

  /**
   * What was uploaded, in words: nothing, the manifest alone (a session that re-writes an old
   * manifest), or packages, and the manifest when more bytes went up than the uploaded packages hold.
   */
  private String uploaded() {
    if (bytesUploaded == 0) {
      return "uploaded nothing";
    }
    if (packagesUploaded == 0) {
      return "uploaded the manifest only (" + bytes(bytesUploaded) + ")";
    }
    long packageBytes = packages.stream().filter(PackageReport::uploaded)
        .collect(Collectors.toMap(PackageReport::digest, PackageReport::size, (a, b) -> a))
        .values().stream().mapToLong(Long::longValue).sum();
    return "uploaded " + bytes(bytesUploaded) + " in " + count(packagesUploaded, "package", "packages")
        + (bytesUploaded > packageBytes ? " and the manifest" : "");
  }

  /** {@code 1 file}, {@code 0 files}, {@code 1,200 files}. */
  static String count(long n, String one, String many) {
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
  }

  static String millis(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }

  /** Formats a byte count with binary units, for example {@code 12.3 MiB}. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
