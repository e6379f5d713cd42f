package io.geneva.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.JobResult;
import io.geneva.PartitionReport;
import io.geneva.ProgressEvent;
import io.geneva.StartupReport;
import io.geneva.WorkerReport;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code geneva run} did: the startup report, what each worker did to get ready, the job's
 * results, and the timing, as JSON for machines ({@link #toJson}) or a few lines for people ({@link
 * #summary}).
 *
 * @param startup the session's startup report
 * @param workers what each worker did during the warmup
 * @param job the finished job
 * @param firstResultMillis from the start of the command to the first finished partition
 * @param totalMillis from the start of the command to the last result
 * @param phases when each phase that ran started and finished, from the start of the command, in
 *     phase order
 */
record RunReport(
    StartupReport startup,
    List<WorkerReport> workers,
    JobResult<Object> job,
    long firstResultMillis,
    long totalMillis,
    Map<ProgressEvent.Phase, Span> phases) {
  /** Results listed one per line in the summary; the rest are counted. */
  static final int SUMMARY_RESULTS = 20;

  /**
   * When a phase ran, in milliseconds from the start of the command.
   *
   * @param startMillis its first {@code STARTED} event
   * @param endMillis its last {@code FINISHED} event, or -1 if it did not finish
   */
  record Span(long startMillis, long endMillis) {}

  RunReport {
    workers = List.copyOf(workers);
    EnumMap<ProgressEvent.Phase, Span> inOrder = new EnumMap<>(ProgressEvent.Phase.class);
    inOrder.putAll(phases);
    phases = Collections.unmodifiableMap(inOrder);
  }

  /**
   * The report as JSON: {@code results} (partition order), {@code partitions}, {@code workers},
   * {@code firstResultMillis}, {@code startup} (the startup report's own JSON), the job's id and
   * timings, and {@code phases}: for each phase that ran (lower case, such as {@code provision}), its
   * {@code startMillis} and {@code endMillis} from the start of the command.
   */
  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("jobId", job.jobId());
    ArrayNode results = root.putArray("results");
    job.results().forEach(r -> results.add(result(mapper, r)));
    ArrayNode partitions = root.putArray("partitions");
    for (PartitionReport p : job.partitions()) {
      partitions.addObject().put("index", p.index()).put("attempts", p.attempts()).put("worker", p.worker());
    }
    ArrayNode workerList = root.putArray("workers");
    for (WorkerReport w : workers) {
      workerList.addObject()
          .put("worker", w.worker())
          .put("pid", w.pid())
          .put("packagesFetched", w.packagesFetched())
          .put("packagesFromCache", w.packagesFromCache())
          .put("bytesFetched", w.bytesFetched())
          .put("bootstrapMillis", w.bootstrapMillis())
          .put("alreadyReady", w.alreadyReady())
          .put("replaced", w.replaced())
          .put("classData", w.classData());
    }
    root.put("firstResultMillis", firstResultMillis);
    root.put("jobMillis", job.elapsed().toMillis());
    root.put("totalMillis", totalMillis);
    ObjectNode phaseTimes = root.putObject("phases");
    phases.forEach((phase, span) -> phaseTimes.putObject(phase.name().toLowerCase(Locale.ROOT))
        .put("startMillis", span.startMillis()).put("endMillis", span.endMillis()));
    try {
      root.set("startup", mapper.readTree(startup.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the startup report's own JSON does not parse", e);
    }
    return root;
  }

  /**
   * A result as Jackson sees it (a record's components, a bean's properties), or its {@code
   * toString()} when Jackson cannot read it (a serializable class with no properties).
   */
  private static JsonNode result(ObjectMapper mapper, Object value) {
    try {
      return mapper.valueToTree(value);
    } catch (IllegalArgumentException e) {
      return mapper.getNodeFactory().textNode(String.valueOf(value));
    }
  }

  /**
   * A few lines: the startup summary line and its warnings, one line per worker, the results (the
   * first {@value #SUMMARY_RESULTS}) and the timing.
   */
  String summary() {
    StringBuilder out = new StringBuilder();
    out.append(startup.summary().lines().findFirst().orElse("")).append('\n');
    startup.warnings().forEach(w -> out.append("  warning: ").append(w).append('\n'));
    out.append(String.format(Locale.ROOT, "%d worker%s:%n", workers.size(), workers.size() == 1 ? "" : "s"));
    for (WorkerReport w : workers) {
      out.append("  ").append(worker(w)).append('\n');
    }
    int count = job.results().size();
    out.append(String.format(Locale.ROOT, "job %s: %d partition%s in %,d ms%n",
        job.jobId(), count, count == 1 ? "" : "s", job.elapsed().toMillis()));
    for (int i = 0; i < Math.min(count, SUMMARY_RESULTS); i++) {
      PartitionReport p = job.partitions().get(i);
      out.append(String.format(Locale.ROOT, "  %d: %s  (%s%s)%n", p.index(), abbreviate(String.valueOf(job.results().get(i))), p.worker(),
          p.attempts() == 1 ? "" : ", " + p.attempts() + " attempts"));
    }
    if (count > SUMMARY_RESULTS) {
      out.append(String.format(Locale.ROOT, "  … and %,d more (see --json)%n", count - SUMMARY_RESULTS));
    }
    out.append(String.format(Locale.ROOT, "first result %,d ms after the command started; all results after %,d ms%n",
        firstResultMillis, totalMillis));
    return out.toString();
  }

  /** A result's text cut to one screen line; --json has it whole. */
  private static String abbreviate(String text) {
    return text.length() <= RESULT_WIDTH ? text : text.substring(0, RESULT_WIDTH - 1) + "…";
  }

  private static final int RESULT_WIDTH = 120;

  private static String worker(WorkerReport w) {
    String what = w.alreadyReady()
        ? "warm: had this manifest already"
        : String.format(Locale.ROOT, "fetched %d package%s (%s), %d from the node cache, bootstrap %,d ms",
            w.packagesFetched(), w.packagesFetched() == 1 ? "" : "s", StartupReport.bytes(w.bytesFetched()),
            w.packagesFromCache(), w.bootstrapMillis());
    return String.format(Locale.ROOT, "%s (pid %d): %s%s", w.worker(), w.pid(), what,
        (w.replaced().isEmpty() ? "" : "; replaces a worker lost during the warmup: " + w.replaced())
            + (w.classData().isEmpty() ? "" : "; " + w.classData()));
  }
}
