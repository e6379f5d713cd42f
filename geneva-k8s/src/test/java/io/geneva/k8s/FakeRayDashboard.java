package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Ray head's Jobs REST API as Ray's {@code openapi.yml} documents it, on a local port: {@code POST
 * /api/jobs/} runs the entrypoint as a real shell command (as Ray's job supervisor does) with the
 * runtime environment's variables, {@code GET /api/jobs/{id}} reports PENDING, RUNNING, SUCCEEDED,
 * FAILED or STOPPED from that process, {@code /logs} returns its output so far, {@code /stop} kills
 * it; an unknown id gets 404, a reused submission id 400. {@link #failWith(int)} makes every answer
 * an error, as a broken dashboard's would be. {@link #requireToken(String)} turns token
 * authentication on as Ray 2.52's dashboard middleware does it: a request without {@code
 * Authorization} gets 401 {@code Unauthorized: Missing authentication token}, one with another
 * token 403 {@code Forbidden: Invalid authentication token}, both as plain text.
 */
final class FakeRayDashboard implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A submitted job. */
  static final class Job {
    final String id;
    final String entrypoint;
    final Map<String, String> env;
    final Map<String, String> metadata;
    final Process process;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    volatile boolean stopped;

    Job(String id, String entrypoint, Map<String, String> env, Map<String, String> metadata, Process process) {
      this.id = id;
      this.entrypoint = entrypoint;
      this.env = env;
      this.metadata = metadata;
      this.process = process;
    }

    String logs() {
      synchronized (output) {
        return output.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private final HttpServer server;
  private final Path workDir;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile int failWith;
  private volatile String token;
  private final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());

  FakeRayDashboard(Path workDir) throws IOException {
    this.workDir = workDir;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-ray-dashboard");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/api/jobs/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request must carry {@code Authorization: Bearer <token>} from now on. */
  void requireToken(String token) {
    this.token = token;
  }

  /** The {@code Authorization} header of each request so far ({@code ""} for none). */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  void failWith(int status) {
    this.failWith = status;
  }

  Job job(String id) {
    return jobs.get(id);
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getRawPath();
      requests.add(x.getRequestMethod() + " " + path);
      String authorization = x.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      String required = token;
      if (required != null) {
        if (authorization == null) {
          reply(x, 401, "Unauthorized: Missing authentication token");
          return;
        }
        if (!authorization.equals("Bearer " + required)) {
          reply(x, 403, "Forbidden: Invalid authentication token");
          return;
        }
      }
      if (failWith != 0) {
        reply(x, failWith, "Traceback (most recent call last):\n  File \"job_head.py\"\nRuntimeError: dashboard is broken");
        return;
      }
      String rest = path.substring("/api/jobs/".length());
      String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
      if (x.getRequestMethod().equals("POST") && parts.length == 0) {
        submit(x);
        return;
      }
      Job job = parts.length == 0 ? null : jobs.get(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
      if (job == null) {
        reply(x, 404, "Job " + (parts.length == 0 ? "" : parts[0]) + " does not exist");
        return;
      }
      if (parts.length == 1 && x.getRequestMethod().equals("GET")) {
        ObjectNode info = JSON.createObjectNode().put("submission_id", job.id).put("status", status(job))
            .put("message", message(job)).put("entrypoint", job.entrypoint);
        reply(x, 200, info.toString());
      } else if (parts.length == 2 && parts[1].equals("logs") && x.getRequestMethod().equals("GET")) {
        reply(x, 200, JSON.createObjectNode().put("logs", job.logs()).toString());
      } else if (parts.length == 2 && parts[1].equals("stop") && x.getRequestMethod().equals("POST")) {
        boolean running = job.process.isAlive();
        job.stopped = true;
        job.process.destroyForcibly();
        reply(x, 200, JSON.createObjectNode().put("stopped", running).toString());
      } else {
        reply(x, 404, "Not Found");
      }
    }
  }

  private void submit(HttpExchange x) throws IOException {
    JsonNode body = JSON.readTree(x.getRequestBody());
    if (!body.hasNonNull("entrypoint")) {
      reply(x, 400, "entrypoint is required");
      return;
    }
    String id = body.path("submission_id").asText("raysubmit_" + jobs.size());
    if (jobs.containsKey(id)) {
      reply(x, 400, JSON.createObjectNode().put("message", "Job with submission_id " + id + " already exists.")
          .toString());
      return;
    }
    Map<String, String> env = new java.util.LinkedHashMap<>();
    body.path("runtime_env").path("env_vars").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    body.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", body.get("entrypoint").asText())
        .directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("RAY_ADDRESS", "127.0.0.1:6379");
    Job job = new Job(id, body.get("entrypoint").asText(), env, metadata, pb.start());
    jobs.put(id, job);
    Thread pump = new Thread(() -> pump(job), "fake-ray-job-" + id);
    pump.setDaemon(true);
    pump.start();
    reply(x, 200, JSON.createObjectNode().put("job_id", "raysubmit_" + id).put("submission_id", id).toString());
  }

  private static void pump(Job job) {
    byte[] buffer = new byte[8192];
    try (InputStream in = job.process.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        synchronized (job.output) {
          job.output.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the process was killed
    }
  }

  private static String status(Job job) {
    if (job.stopped) {
      return "STOPPED";
    }
    if (job.process.isAlive()) {
      return "RUNNING";
    }
    return job.process.exitValue() == 0 ? "SUCCEEDED" : "FAILED";
  }

  private static String message(Job job) {
    return switch (status(job)) {
      case "FAILED" -> "Job entrypoint command failed with exit code " + job.process.exitValue()
          + ", last available logs (truncated to 20,000 chars):\n" + job.logs();
      case "STOPPED" -> "Job was intentionally stopped.";
      case "SUCCEEDED" -> "Job finished successfully.";
      default -> "Job is currently running.";
    };
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    for (Job job : jobs.values()) {
      job.process.destroyForcibly();
      try {
        job.process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
