package io.geneva.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code geneva run --json} printed, as far as the workers bench reads it: the timing from the
 * command's start, the results, what each worker did to get ready, and when each phase ran.
 *
 * @param firstResultMillis from the command's start to the first finished partition
 * @param totalMillis from the command's start to the last result
 * @param jobMillis from the job's submission to its last result
 * @param results each partition's result, as JSON text, in partition order
 * @param workers what each worker did during the warmup
 * @param phases when each phase ran, from the command's start, by phase name ({@code provision})
 */
record RunOutput(
    long firstResultMillis,
    long totalMillis,
    long jobMillis,
    List<String> results,
    List<Worker> workers,
    Map<String, Span> phases) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One worker's report. */
  record Worker(String name, long pid, int packagesFetched, long bootstrapMillis, boolean alreadyReady,
      String classData) {}

  /** When a phase ran; {@code endMillis} is -1 if it did not finish. */
  record Span(long startMillis, long endMillis) {
    long millis() {
      return endMillis < 0 ? -1 : endMillis - startMillis;
    }
  }

  RunOutput {
    results = List.copyOf(results);
    workers = List.copyOf(workers);
    phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
  }

  /**
   * Reads the report from what the process printed.
   *
   * @param command how the report names the Geneva command, for errors
   * @throws BenchException if the text is not a run report
   */
  static RunOutput parse(String stdout, String command) {
    JsonNode root;
    try {
      root = JSON.readTree(stdout);
    } catch (JsonProcessingException e) {
      throw notAReport(command, "it is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("firstResultMillis").isNumber()
        || !root.path("workers").isArray() || !root.path("results").isArray()) {
      throw notAReport(command, "firstResultMillis, workers or results is missing");
    }
    List<String> results = new ArrayList<>();
    root.get("results").forEach(r -> results.add(r.isValueNode() ? r.asText() : r.toString()));
    List<Worker> workers = new ArrayList<>();
    for (JsonNode w : root.get("workers")) {
      workers.add(new Worker(w.path("worker").asText(), w.path("pid").asLong(-1), w.path("packagesFetched").asInt(),
          w.path("bootstrapMillis").asLong(-1), w.path("alreadyReady").asBoolean(), w.path("classData").asText("")));
    }
    Map<String, Span> phases = new LinkedHashMap<>();
    // Older Geneva CLIs print no phases: the breakdown is then left out, nothing else.
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("phases").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      phases.put(e.getKey(),
          new Span(e.getValue().path("startMillis").asLong(-1), e.getValue().path("endMillis").asLong(-1)));
    }
    return new RunOutput(root.get("firstResultMillis").asLong(), root.path("totalMillis").asLong(-1),
        root.path("jobMillis").asLong(-1), results, workers, phases);
  }

  private static BenchException notAReport(String command, String why) {
    return new BenchException(command + " run --json printed no run report (" + why + "); is "
        + GenevaProcess.OPTION + " a Geneva CLI of this version?");
  }

  Optional<Span> phase(String name) {
    return Optional.ofNullable(phases.get(name));
  }

  /**
   * Milliseconds from the command's start to the session's packaging being done (the manifest
   * written): the CLI's own start inside its JVM plus the startup pipeline.
   */
  long packagedMillis() {
    return phase("manifest").map(Span::endMillis).orElse(-1L);
  }

  /** From the job's start to its first result, or -1 where the phases are unknown. */
  long jobToFirstResultMillis() {
    return phase("job").map(s -> firstResultMillis - s.startMillis()).orElse(-1L);
  }

  /** Whether every worker's class-data line starts with {@code prefix} (false with no workers). */
  boolean everyWorkerClassData(String prefix) {
    return !workers.isEmpty() && workers.stream().allMatch(w -> w.classData().startsWith(prefix));
  }
}
