package io.geneva;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What opening a session did and what it cost: phase durations, files scanned, bytes hashed, packed
 * and uploaded, what storage already had, and for each package why it was rebuilt, with advice where
 * the classpath's layout defeats caching.
 *
 * <p>A value: immutable, thread-safe, compared by its fields, and serialisable to JSON ({@link
 * #toJson()}, {@link #fromJson(String)}) with the accessors' names as field names, which users and
 * benchmarks read. It is built with a {@link #builder()} (Geneva builds it; tests and tools may too),
 * not a constructor, so a field added later breaks no caller: a field a builder does not set is zero
 * or empty.
 */
public final class StartupReport {
  private final String manifestDigest;
  private final String manifestUri;
  private final long elapsedMillis;
  private final Map<String, Long> phases;
  private final long files;
  private final long filesHashed;
  private final long bytesScanned;
  private final long bytesHashed;
  private final long bytesPacked;
  private final long bytesUploaded;
  private final int packagesUploaded;
  private final int packagesReused;
  private final List<PackageReport> packages;
  private final List<String> advice;
  private final List<String> warnings;

  private StartupReport(Builder b) {
    this.manifestDigest = required(b.manifestDigest, "manifestDigest");
    this.manifestUri = required(b.manifestUri, "manifestUri");
    this.elapsedMillis = b.elapsedMillis;
    this.phases = Collections.unmodifiableMap(new LinkedHashMap<>(b.phases));
    this.files = b.files;
    this.filesHashed = b.filesHashed;
    this.bytesScanned = b.bytesScanned;
    this.bytesHashed = b.bytesHashed;
    this.bytesPacked = b.bytesPacked;
    this.bytesUploaded = b.bytesUploaded;
    this.packagesUploaded = b.packagesUploaded;
    this.packagesReused = b.packagesReused;
    this.packages = List.copyOf(b.packages);
    this.advice = List.copyOf(b.advice);
    this.warnings = List.copyOf(b.warnings);
  }

  private static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalStateException("a startup report needs its " + field + "; set it on the builder");
    }
    return value;
  }

  /** A builder with every count zero and every list empty; {@code manifestDigest} and {@code manifestUri} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this report's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .manifestDigest(manifestDigest)
        .manifestUri(manifestUri)
        .elapsedMillis(elapsedMillis)
        .phases(phases)
        .files(files)
        .filesHashed(filesHashed)
        .bytesScanned(bytesScanned)
        .bytesHashed(bytesHashed)
        .bytesPacked(bytesPacked)
        .bytesUploaded(bytesUploaded)
        .packagesUploaded(packagesUploaded)
        .packagesReused(packagesReused)
        .packages(packages)
        .advice(advice)
        .warnings(warnings);
  }

  /** The manifest's SHA-256 (hex). */
  public String manifestDigest() {
    return manifestDigest;
  }

  /** Where the manifest is stored. */
  public String manifestUri() {
    return manifestUri;
  }

  /** In-process time of the whole pipeline. */
  public long elapsedMillis() {
    return elapsedMillis;
  }

  /**
   * Milliseconds spent in each phase, by name ({@code scan}, {@code fingerprint}, {@code pack},
   * {@code publish}, {@code manifest}), in pipeline order; unmodifiable. Each is a phase's own wall
   * time, and phases overlap: packing starts while jars are still fingerprinted, and {@code publish}
   * runs from its first request to storage (a package's upload starts as soon as it is packed) until
   * the manifest is written and every package confirmed. {@code publishAfterPack} is the part of
   * {@code publish} after packing and the manifest were done: what the start waited for storage.
   */
  public Map<String, Long> phases() {
    return phases;
  }

  /** Regular files found on the classpath (jars count as one file each). */
  public long files() {
    return files;
  }

  /** Files whose content was read to hash it this run (index misses). */
  public long filesHashed() {
    return filesHashed;
  }

  /** Total size of the files found on the classpath. */
  public long bytesScanned() {
    return bytesScanned;
  }

  /** File content actually read this run to fingerprint it. */
  public long bytesHashed() {
    return bytesHashed;
  }

  /** Bytes of archives built this run. */
  public long bytesPacked() {
    return bytesPacked;
  }

  /** Bytes sent to storage this run. */
  public long bytesUploaded() {
    return bytesUploaded;
  }

  /** Packages sent to storage this run. */
  public int packagesUploaded() {
    return packagesUploaded;
  }

  /** Packages storage already had. */
  public int packagesReused() {
    return packagesReused;
  }

  /** Every package, in classpath order; unmodifiable. */
  public List<PackageReport> packages() {
    return packages;
  }

  /** How to change the layout to make later starts cheaper; unmodifiable. */
  public List<String> advice() {
    return advice;
  }

  /** Problems that did not stop the session (for example skipped classpath entries); unmodifiable. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The report as indented JSON, with the accessors' names as field names. Written without Jackson,
   * whose start-up would cost a fresh JVM more than the report is worth; {@link #fromJson} reads it.
   */
  public String toJson() {
    return StartupReportJson.write(this);
  }

  /**
   * Reads a report written by {@link #toJson()}, by this version or another: a field it does not
   * know is ignored, and a field it lacks is zero or empty.
   *
   * @throws IllegalArgumentException if the text is not such a report
   */
  public static StartupReport fromJson(String json) {
    return StartupReportJson.read(json);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StartupReport r
        && manifestDigest.equals(r.manifestDigest)
        && manifestUri.equals(r.manifestUri)
        && elapsedMillis == r.elapsedMillis
        && phases.equals(r.phases)
        && files == r.files
        && filesHashed == r.filesHashed
        && bytesScanned == r.bytesScanned
        && bytesHashed == r.bytesHashed
        && bytesPacked == r.bytesPacked
        && bytesUploaded == r.bytesUploaded
        && packagesUploaded == r.packagesUploaded
        && packagesReused == r.packagesReused
        && packages.equals(r.packages)
        && advice.equals(r.advice)
        && warnings.equals(r.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(manifestDigest, manifestUri, elapsedMillis, phases, files, filesHashed, bytesScanned,
        bytesHashed, bytesPacked, bytesUploaded, packagesUploaded, packagesReused, packages, advice, warnings);
  }

  /** The report's counters and manifest for logs and debuggers; {@link #summary()} is for people. */
  @Override
  public String toString() {
    return "StartupReport[manifestDigest=" + manifestDigest + ", manifestUri=" + manifestUri
        + ", elapsedMillis=" + elapsedMillis + ", phases=" + phases + ", files=" + files
        + ", filesHashed=" + filesHashed + ", bytesScanned=" + bytesScanned + ", bytesHashed=" + bytesHashed
        + ", bytesPacked=" + bytesPacked + ", bytesUploaded=" + bytesUploaded
        + ", packagesUploaded=" + packagesUploaded + ", packagesReused=" + packagesReused
        + ", packages=" + packages.size() + ", advice=" + advice + ", warnings=" + warnings + "]";
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

  /**
   * Builds a {@link StartupReport}. Each setter replaces what an earlier call set (so {@link
   * #toBuilder()} can derive a copy); collections are copied by {@link #build()}. Mutable and not
   * thread-safe; {@code build()} leaves it unchanged and may be called again.
   */
  public static final class Builder {
    private @Nullable String manifestDigest;
    private @Nullable String manifestUri;
    private long elapsedMillis;
    private Map<String, Long> phases = Map.of();
    private long files;
    private long filesHashed;
    private long bytesScanned;
    private long bytesHashed;
    private long bytesPacked;
    private long bytesUploaded;
    private int packagesUploaded;
    private int packagesReused;
    private List<PackageReport> packages = List.of();
    private List<String> advice = List.of();
    private List<String> warnings = List.of();

    private Builder() {}

    /** Sets {@link StartupReport#manifestDigest()} (required). */
    public Builder manifestDigest(String digest) {
      this.manifestDigest = Objects.requireNonNull(digest, "digest");
      return this;
    }

    /** Sets {@link StartupReport#manifestUri()} (required). */
    public Builder manifestUri(String uri) {
      this.manifestUri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /** Sets {@link StartupReport#elapsedMillis()}. */
    public Builder elapsedMillis(long millis) {
      this.elapsedMillis = millis;
      return this;
    }

    /** Sets {@link StartupReport#phases()}; the map's iteration order is kept. */
    public Builder phases(Map<String, Long> millisByPhase) {
      this.phases = Objects.requireNonNull(millisByPhase, "millisByPhase");
      return this;
    }

    /** Sets {@link StartupReport#files()}. */
    public Builder files(long count) {
      this.files = count;
      return this;
    }

    /** Sets {@link StartupReport#filesHashed()}. */
    public Builder filesHashed(long count) {
      this.filesHashed = count;
      return this;
    }

    /** Sets {@link StartupReport#bytesScanned()}. */
    public Builder bytesScanned(long bytes) {
      this.bytesScanned = bytes;
      return this;
    }

    /** Sets {@link StartupReport#bytesHashed()}. */
    public Builder bytesHashed(long bytes) {
      this.bytesHashed = bytes;
      return this;
    }

    /** Sets {@link StartupReport#bytesPacked()}. */
    public Builder bytesPacked(long bytes) {
      this.bytesPacked = bytes;
      return this;
    }

    /** Sets {@link StartupReport#bytesUploaded()}. */
    public Builder bytesUploaded(long bytes) {
      this.bytesUploaded = bytes;
      return this;
    }

    /** Sets {@link StartupReport#packagesUploaded()}. */
    public Builder packagesUploaded(int count) {
      this.packagesUploaded = count;
      return this;
    }

    /** Sets {@link StartupReport#packagesReused()}. */
    public Builder packagesReused(int count) {
      this.packagesReused = count;
      return this;
    }

    /** Sets {@link StartupReport#packages()}, in classpath order. */
    public Builder packages(List<PackageReport> reports) {
      this.packages = Objects.requireNonNull(reports, "reports");
      return this;
    }

    /** Sets {@link StartupReport#advice()}. */
    public Builder advice(List<String> lines) {
      this.advice = Objects.requireNonNull(lines, "lines");
      return this;
    }

    /** Sets {@link StartupReport#warnings()}. */
    public Builder warnings(List<String> lines) {
      this.warnings = Objects.requireNonNull(lines, "lines");
      return this;
    }

    /**
     * The report, holding copies of the collections.
     *
     * @throws IllegalStateException if the manifest's digest or URI was not set
     * @throws NullPointerException if a collection holds null
     */
    public StartupReport build() {
      return new StartupReport(this);
    }
  }
}
