package io.geneva.cli.bench;

import io.geneva.StartupReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the fresh-process bench measured: one row per floor, peer and Geneva scenario (process wall
 * time, time inside the process, CPU and peak RSS), and the targets of issue 13 checked as ratios
 * of rows measured in the same run.
 */
final class FreshResult {
  static final String VERSION = "version";
  static final String FIND = "find";
  static final String STAT = "statWalk";
  static final String SHA = "sha256";
  static final String COPY = "readShaWrite";
  static final String PYTHON = "pythonUnchanged";
  static final String COLD = "cold";
  static final String COLD_SMALL = "coldSmallHeap";
  static final String UNCHANGED = "unchanged";
  static final String UNCHANGED_SMALL = "unchangedSmallHeap";
  static final String ONE_CLASS = "oneClassChanged";
  static final String NOTEBOOK = "notebook";
  static final String RELOCATED = "relocated";
  static final long MAX_ONE_CLASS_UPLOAD = 1L << 20;
  static final String S3_POINTER =
      "cold to S3 vs bare parallel puts (<= 1.3x): not measured here; see geneva-storage's upload bench,"
          + " mvn -q -pl geneva-storage exec:exec@upload-bench";

  /**
   * One measured process kind.
   *
   * @param key the JSON key
   * @param label the table's label
   * @param runs every run
   * @param inProcess the time each run measured inside itself, or empty
   * @param uploaded bytes each Geneva run uploaded, or empty for floors
   */
  record Row(String key, String label, List<ProcessRun> runs, List<Long> inProcess, List<Long> uploaded) {
    long wall() {
      return Stats.median(runs.stream().map(ProcessRun::wallMillis).toList());
    }

    ProcessRun typical() {
      return Stats.medianItem(runs, ProcessRun::wallMillis);
    }

    OptionalLong inProcessMedian() {
      return inProcess.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Stats.median(inProcess));
    }
  }

  private final String command;
  private final int runs;
  private final boolean scale;
  private final List<Row> rows;
  private final List<Check> checks;
  private final List<String> notes;

  private FreshResult(Builder b) {
    this.command = b.command;
    this.runs = b.runs;
    this.scale = b.scale;
    this.rows = List.copyOf(b.rows.values());
    this.notes = List.copyOf(b.notes);
    this.checks =
        new FreshChecks(b.rows, b.scale, Optional.ofNullable(b.secondSession), b.digests, Optional.ofNullable(b.relocated))
            .checks();
  }

  static Builder builder(String command, int runs, boolean scale) {
    return new Builder(command, runs, scale);
  }

  List<Check> checks() {
    return checks;
  }

  List<Row> rows() {
    return rows;
  }

  /** Collects rows as the bench measures them. */
  static final class Builder {
    private final String command;
    private final int runs;
    private final boolean scale;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<String>> digests = new LinkedHashMap<>();
    private FreshChecks.@Nullable TwoSessions secondSession;
    private FreshChecks.@Nullable Digests relocated;

    private Builder(String command, int runs, boolean scale) {
      this.command = command;
      this.runs = runs;
      this.scale = scale;
    }

    Builder add(String key, String label, List<ProcessRun> runs) {
      return add(key, label, runs, List.of());
    }

    Builder add(String key, String label, List<ProcessRun> runs, List<Long> inProcess) {
      rows.put(key, new Row(key, label, List.copyOf(runs), List.copyOf(inProcess), List.of()));
      return this;
    }

    /** A floor run by {@link Floors}, which prints its own elapsed time. */
    Builder addFloor(String key, String label, List<ProcessRun> runs) {
      return add(key, label, runs, runs.stream().map(r -> Floors.elapsedMillis(r.stdout())).toList());
    }

    Builder addGeneva(String key, String label, List<FreshBench.Child> children) {
      rows.put(
          key,
          new Row(
              key,
              label,
              children.stream().map(FreshBench.Child::process).toList(),
              children.stream().map(c -> c.report().elapsedMillis()).toList(),
              children.stream().map(c -> c.report().bytesUploaded()).toList()));
      return this;
    }

    Builder digests(String key, List<String> distinct) {
      digests.put(key, List.copyOf(distinct));
      return this;
    }

    Builder secondSession(StartupReport first, StartupReport second) {
      secondSession = new FreshChecks.TwoSessions(first.elapsedMillis(), second.elapsedMillis(),
          second.bytesUploaded(), second.manifestDigest());
      return this;
    }

    Builder relocatedDigest(String relocatedDigest, String coldDigest) {
      relocated = new FreshChecks.Digests(relocatedDigest, coldDigest);
      return this;
    }

    Builder note(String note) {
      notes.add(note);
      return this;
    }

    FreshResult build() {
      return new FreshResult(this);
    }
  }

  /** The fresh-process section of the bench's text report. */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Fresh processes (what users run): Geneva is `%s package --json`, a new process per session;"
                + " medians of %d runs; wall measured around the process, CPU and peak RSS by /usr/bin/time%n",
            command,
            runs));
    TextTable table =
        new TextTable("process", ">wall", ">in process", ">CPU user + sys", ">peak RSS", ">uploaded", "runs (wall)");
    for (Row row : rows) {
      OptionalLong in = row.inProcessMedian();
      table.row(
          row.label(),
          Check.millis(row.wall()),
          in.isPresent() ? Check.millis(in.getAsLong()) : "-",
          row.typical().cpu(),
          row.typical().rss(),
          row.uploaded().isEmpty() ? "-" : Scenarios.bytes(row.uploaded().stream().mapToLong(Long::longValue).max().orElse(0)),
          row.runs().stream().map(r -> String.valueOf(r.wallMillis())).collect(Collectors.joining(" ")) + " ms");
    }
    out.append(table.render("  "));
    out.append("  (uploaded: the largest run; in process: Geneva's startup report elapsedMillis, or the floor's own clock)\n");
    out.append('\n').append("Targets, fresh processes (issue 13; ")
        .append(scale ? "scale corpus" : "benchmark corpus").append(")\n");
    TextTable t = new TextTable("measure", ">ours", ">baseline", ">ratio", "target", "result");
    for (Check c : checks) {
      t.row(c.measure(), c.ours(), c.baseline(), c.ratio(), c.target(), c.verdict().name().replace("NA", "n/a"));
    }
    out.append(t.render("  "));
    out.append("  ").append(S3_POINTER).append('\n');
    for (String note : notes) {
      out.append("  ").append(note).append('\n');
    }
    return out.toString();
  }

  Map<String, Object> toData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("command", command);
    data.put("runs", runs);
    data.put("scaleCorpus", scale);
    Map<String, Object> rowData = new LinkedHashMap<>();
    for (Row row : rows) {
      Map<String, @Nullable Object> r = new LinkedHashMap<>();
      r.put("label", row.label());
      r.put("medianWallMillis", row.wall());
      r.put("wallMillis", row.runs().stream().map(ProcessRun::wallMillis).toList());
      r.put("inProcessMillis", row.inProcess());
      r.put("userMillis", row.runs().stream().map(ProcessRun::userMillis).toList());
      r.put("systemMillis", row.runs().stream().map(ProcessRun::systemMillis).toList());
      r.put("peakRssKib", row.runs().stream().map(ProcessRun::peakRssKib).toList());
      if (!row.uploaded().isEmpty()) {
        r.put("bytesUploaded", row.uploaded());
      }
      rowData.put(row.key(), r);
    }
    data.put("processes", rowData);
    data.put("checks", checks.stream().map(BenchReport::checkData).toList());
    data.put("notes", notes);
    return data;
  }

  /** The row measured under {@code key}, if it was. */
  static Optional<Row> row(Map<String, Row> rows, String key) {
    return Optional.ofNullable(rows.get(key));
  }
}
