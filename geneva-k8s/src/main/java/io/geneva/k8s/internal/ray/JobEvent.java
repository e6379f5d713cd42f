package io.geneva.k8s.internal.ray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.TaskFailedException;
import io.geneva.WorkerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One line of the coordinator's log that the session acts on: {@value #PREFIX} and a JSON object.
 * Everything else in the log (Ray's own output, a task's prints) is ignored.
 *
 * @param type what happened: {@code started}, {@code succeeded}, {@code failed}, {@code committed},
 *     {@code done} or {@code error}
 * @param partition the partition, or -1
 * @param attempt the attempt, or 0
 * @param worker the actor, or empty
 * @param retrying for {@code failed}: whether the partition is tried again
 * @param message for {@code failed} and {@code error}: what went wrong
 * @param taskFailure for {@code failed} and {@code error}: the task's own exception, when it threw
 * @param report for {@code bootstrapped}: what a warmup actor's bootstrap did, its worker the node
 */
public record JobEvent(String type, int partition, int attempt, String worker, boolean retrying, String message,
    @Nullable TaskFailedException taskFailure, @Nullable WorkerReport report) {
  /** The start of every event line. */
  public static final String PREFIX = "GENEVA-EVENT ";

  private static final ObjectMapper JSON = new ObjectMapper();

  static JobEvent of(String type, int partition, int attempt, String worker) {
    return new JobEvent(type, partition, attempt, worker, false, "", null, null);
  }

  static JobEvent error(int partition, String message, @Nullable TaskFailedException taskFailure) {
    return new JobEvent("error", partition, 0, "", false, message, taskFailure, null);
  }

  /** The event as one log line, without a line break. */
  public String toLine() {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", type).put("partition", partition).put("attempt", attempt).put("worker", worker)
        .put("retrying", retrying).put("message", message);
    if (taskFailure != null) {
      ObjectNode t = o.putObject("taskFailure");
      String full = String.valueOf(taskFailure.getMessage());
      String prefix = taskFailure.exceptionClass() + ": ";
      t.put("exceptionClass", taskFailure.exceptionClass())
          .put("message", full.startsWith(prefix) ? full.substring(prefix.length()) : "");
      ArrayNode stack = t.putArray("stack");
      for (StackTraceElement e : taskFailure.getStackTrace()) {
        stack.addObject().put("class", e.getClassName()).put("method", e.getMethodName())
            .put("file", e.getFileName() == null ? "" : e.getFileName()).put("line", e.getLineNumber());
      }
    }
    if (report != null) {
      o.putObject("report").put("worker", report.worker()).put("pid", report.pid())
          .put("fetched", report.packagesFetched()).put("fromCache", report.packagesFromCache())
          .put("bytes", report.bytesFetched()).put("millis", report.bootstrapMillis())
          .put("already", report.alreadyReady());
    }
    return PREFIX + o;
  }

  /** The event on this log line, if it is one. */
  public static Optional<JobEvent> parse(String line) {
    int at = line.indexOf(PREFIX);
    if (at < 0) {
      return Optional.empty();
    }
    try {
      JsonNode o = JSON.readTree(line.substring(at + PREFIX.length()));
      TaskFailedException failure = null;
      JsonNode t = o.get("taskFailure");
      if (t != null) {
        List<StackTraceElement> stack = new ArrayList<>();
        for (JsonNode e : t.path("stack")) {
          String file = e.path("file").asText();
          stack.add(new StackTraceElement(e.path("class").asText(), e.path("method").asText(),
              file.isEmpty() ? null : file, e.path("line").asInt()));
        }
        failure = new TaskFailedException(t.path("exceptionClass").asText(), t.path("message").asText(),
            stack.toArray(StackTraceElement[]::new));
      }
      WorkerReport report = null;
      JsonNode r = o.get("report");
      if (r != null) {
        report = WorkerReport.builder(r.path("worker").asText())
            .pid(r.path("pid").asLong())
            .packagesFetched(r.path("fetched").asInt())
            .packagesFromCache(r.path("fromCache").asInt())
            .bytesFetched(r.path("bytes").asLong())
            .bootstrapMillis(r.path("millis").asLong())
            .alreadyReady(r.path("already").asBoolean())
            .build();
      }
      return Optional.of(new JobEvent(o.path("type").asText(), o.path("partition").asInt(-1),
          o.path("attempt").asInt(), o.path("worker").asText(), o.path("retrying").asBoolean(),
          o.path("message").asText(), failure, report));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty(); // a line cut short, or a task printing the prefix: not ours
    }
  }
}
