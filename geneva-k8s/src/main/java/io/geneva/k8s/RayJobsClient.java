package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.GenevaException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Ray Jobs REST API of one cluster's head (the dashboard, port 8265), as Ray's {@code
 * openapi.yml} documents it: submit, status, logs and stop.
 *
 * <p>With token authentication on (Ray 2.52 and newer, {@link AuthOptions}), every request carries
 * {@code Authorization: Bearer <token>}, as Ray's own clients send it. The token is never part of a
 * message, a log line or {@link #toString()}.
 *
 * <p>Failures are {@link Failure}s whose message names the address and the cluster and, for an
 * answer the head gave, the method, path, status and Ray's own message; a 401 or 403 says where the
 * token came from (or that there was none) and what to fix. Thread-safe.
 */
final class RayJobsClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A Ray job's status, as Ray reports it. */
  enum Status {
    PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED;

    boolean terminal() {
      return this == STOPPED || this == SUCCEEDED || this == FAILED;
    }
  }

  /**
   * A job's state.
   *
   * @param status its status
   * @param message Ray's message about it (why it failed, for one), possibly empty
   */
  record Info(Status status, String message) {}

  /** The head could not be reached, or it refused a request. */
  static final class Failure extends GenevaException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Failure(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /** The HTTP status the head answered, or 0 if it was not reached. */
    int status() {
      return status;
    }
  }

  private final URI dashboard;
  private final String cluster;
  private final HttpClient http;
  private final Optional<DashboardToken> token;
  private final String howToSendToken;

  /** A client that sends no token. */
  RayJobsClient(URI dashboard, String cluster) {
    this(dashboard, cluster, Optional.empty(), "the cluster's Ray has token authentication on; name its token in"
        + " the spec (rayToken)");
  }

  /**
   * @param dashboard the head's dashboard address, like {@code http://dev-head-svc.ml.svc:8265}
   * @param cluster the cluster, for messages ({@code kuberay "dev" in namespace "ml"})
   * @param token the token to send with every request, if any
   * @param howToSendToken what a 401 to a request without a token should tell the user
   */
  RayJobsClient(URI dashboard, String cluster, Optional<DashboardToken> token, String howToSendToken) {
    this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.token = Objects.requireNonNull(token, "token");
    this.howToSendToken = Objects.requireNonNull(howToSendToken, "howToSendToken");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  URI dashboard() {
    return dashboard;
  }

  /**
   * Submits a job ({@code POST /api/jobs/}).
   *
   * @param submissionId the id the job is known by from now on
   * @param entrypoint the shell command Ray runs on the head
   * @param environment variables of the job's runtime environment (the entrypoint's and its workers')
   * @param metadata labels Ray keeps with the job
   */
  void submit(String submissionId, String entrypoint, Map<String, String> environment, Map<String, String> metadata) {
    ObjectNode body = JSON.createObjectNode();
    body.put("entrypoint", entrypoint);
    body.put("submission_id", submissionId);
    ObjectNode env = body.putObject("runtime_env").putObject("env_vars");
    environment.forEach(env::put);
    ObjectNode meta = body.putObject("metadata");
    metadata.forEach(meta::put);
    send("POST", "/api/jobs/", body.toString());
  }

  /** A job's status ({@code GET /api/jobs/{id}}); a job the head does not know is a {@link Failure} with 404. */
  Info status(String submissionId) {
    JsonNode answer = send("GET", "/api/jobs/" + encode(submissionId), null);
    String status = answer.path("status").asText();
    try {
      return new Info(Status.valueOf(status), answer.path("message").asText(""));
    } catch (IllegalArgumentException e) {
      throw new Failure("the Ray dashboard at " + dashboard + " of " + cluster + " reported job " + submissionId
          + " in status \"" + status + "\", which Geneva does not know; the cluster's Ray is newer than Geneva supports",
          200, e);
    }
  }

  /** Everything the job has printed so far ({@code GET /api/jobs/{id}/logs}). */
  String logs(String submissionId) {
    return send("GET", "/api/jobs/" + encode(submissionId) + "/logs", null).path("logs").asText("");
  }

  /** Asks Ray to stop the job ({@code POST /api/jobs/{id}/stop}); whether it was running. */
  boolean stop(String submissionId) {
    return send("POST", "/api/jobs/" + encode(submissionId) + "/stop", "").path("stopped").asBoolean(false);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(dashboard.resolve(path)).timeout(TIMEOUT)
        .header("Accept", "application/json");
    token.ifPresent(t -> request.header("Authorization", t.authorization()));
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable(e);
    } catch (HttpTimeoutException e) {
      throw new Failure("the head of " + cluster + " did not answer " + method + " " + path + " at " + dashboard
          + " within " + TIMEOUT.toSeconds() + " s", 0, e);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while calling the head of " + cluster + " at " + dashboard, 0, e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw refused(method, path, status, said(response.body()));
    }
    if (status / 100 != 2) {
      throw new Failure("the Ray dashboard at " + dashboard + " of " + cluster + " answered " + method + " " + path
          + " with " + status + ": " + said(response.body()), status, null);
    }
    try {
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failure("the Ray dashboard at " + dashboard + " of " + cluster + " answered " + method + " " + path
          + " with something that is not JSON: " + said(firstLine(response.body())), status, e);
    }
  }

  /** Ray answers 401 without a token and 403 for a wrong one; a proxy in front may answer either. */
  private Failure refused(String method, String path, int status, String message) {
    String answer = method + " " + path + " answered " + status + ": " + message;
    if (token.isEmpty()) {
      return new Failure("the Ray dashboard at " + dashboard + " of " + cluster + " asks for a token and the session"
          + " sent none (" + answer + "); " + howToSendToken, status, null);
    }
    DashboardToken t = token.get();
    return new Failure("the Ray dashboard at " + dashboard + " of " + cluster + " refused the token from "
        + t.source() + " (" + t.redact(answer) + "); " + t.ifRefused(), status, null);
  }

  private Failure unreachable(Exception e) {
    return new Failure("the head of " + cluster + " is unreachable at " + dashboard + " (" + e + "); check that the"
        + " head pod is running and that this address reaches its dashboard port (8265)", 0, e);
  }

  /** Ray's message, with the token taken out should anything in between echo it. */
  private String said(String body) {
    String message = rayMessage(body);
    return token.map(t -> t.redact(message)).orElse(message);
  }

  /** Ray answers errors as JSON with a message, or as plain text (often a Python traceback). */
  private static String rayMessage(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      for (String field : new String[] {"message", "detail", "error"}) {
        if (n.hasNonNull(field)) {
          return firstLine(n.get(field).asText());
        }
      }
    } catch (IOException e) {
      // plain text
    }
    String[] lines = body.strip().split("\n");
    return lines.length == 0 ? "(no message)" : firstLine(lines[lines.length - 1]); // a traceback's last line says it
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    String line = nl < 0 ? t : t.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RayJobsClient[" + dashboard + token.map(t -> ", token from " + t.source()).orElse("") + "]";
  }
}
