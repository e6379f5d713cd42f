package io.geneva.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written stand-in for the few Kubernetes API calls {@code geneva cluster up|status|down}
 * make, on a real HTTP server on loopback, with an operator that is instantly done: a RayCluster is
 * stored with {@code HeadPodReady} and {@code RayClusterProvisioned} true and one bootstrapped, ready
 * head pod. Every namespace exists and every access review is allowed. The provisioner's own tests
 * (geneva-k8s) run against a full CRUD API server and a step-by-step operator; this one only checks
 * that the commands reach the API and print what happened.
 */
final class FakeKubeApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RAY_CLUSTERS =
      Pattern.compile("/apis/ray\\.io/v1/namespaces/([^/]+)/rayclusters(?:/([^/?]+))?");
  private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");

  private final HttpServer server;
  private final Map<String, ObjectNode> clusters = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  FakeKubeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The requests so far, as {@code METHOD path}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  boolean has(String namespace, String name) {
    return clusters.containsKey(namespace + "/" + name);
  }

  /** A kubeconfig whose context {@code fake} is this server. */
  Path writeKubeconfig(Path dir) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: fake, cluster: {server: %s}}]
        users: [{name: tester, user: {token: not-a-real-token}}]
        contexts: [{name: fake, context: {cluster: fake, user: tester}}]
        current-context: fake
        """.formatted(url()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    requests.add(method + " " + exchange.getRequestURI());
    byte[] body = exchange.getRequestBody().readAllBytes();
    Matcher rc = RAY_CLUSTERS.matcher(path);
    Matcher pods = PODS.matcher(path);
    if (path.startsWith("/api/v1/namespaces/") && path.split("/").length == 5 && method.equals("GET")) {
      send(exchange, 200, JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace")
          .set("metadata", JSON.createObjectNode().put("name", path.substring(path.lastIndexOf('/') + 1))));
    } else if (path.equals("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")) {
      ObjectNode review = (ObjectNode) JSON.readTree(body);
      review.putObject("status").put("allowed", true);
      send(exchange, 201, review);
    } else if (rc.matches()) {
      rayClusters(exchange, method, rc.group(1), rc.group(2), body);
    } else if (pods.matches() && method.equals("GET")) {
      send(exchange, 200, podList(pods.group(1), exchange.getRequestURI().getQuery()));
    } else {
      send(exchange, 404, notFound(path));
    }
  }

  private void rayClusters(HttpExchange exchange, String method, String ns, String name, byte[] body)
      throws IOException {
    if (name == null && method.equals("GET")) {
      ObjectNode list = JSON.createObjectNode().put("apiVersion", "ray.io/v1").put("kind", "RayClusterList");
      ArrayNode items = list.putArray("items");
      clusters.forEach((key, c) -> {
        if (key.startsWith(ns + "/")) {
          items.add(c);
        }
      });
      send(exchange, 200, list);
    } else if (name == null && method.equals("POST")) {
      ObjectNode c = (ObjectNode) JSON.readTree(body);
      String key = ns + "/" + c.path("metadata").path("name").asText();
      if (clusters.containsKey(key)) {
        send(exchange, 409, status(409, "AlreadyExists", "rayclusters.ray.io already exists"));
        return;
      }
      ((ObjectNode) c.path("metadata")).put("uid", UUID.randomUUID().toString()).put("resourceVersion", "1");
      ArrayNode conditions = c.putObject("status").putArray("conditions");
      conditions.addObject().put("type", "HeadPodReady").put("status", "True").put("reason", "HeadPodRunningAndReady");
      conditions.addObject().put("type", "RayClusterProvisioned").put("status", "True")
          .put("reason", "AllPodRunningAndReadyFirstTime");
      clusters.put(key, c);
      send(exchange, 201, c);
    } else if (name != null && method.equals("GET")) {
      ObjectNode c = clusters.get(ns + "/" + name);
      send(exchange, c == null ? 404 : 200, c == null ? notFound(name) : c);
    } else if (name != null && method.equals("DELETE")) {
      ObjectNode c = clusters.remove(ns + "/" + name);
      send(exchange, c == null ? 404 : 200, c == null ? notFound(name) : status(200, "", ""));
    } else {
      send(exchange, 405, status(405, "MethodNotAllowed", method + " is not served by this fake"));
    }
  }

  /** One ready head pod per cluster, as the label selector {@code ray.io/cluster=NAME} asks. */
  private ObjectNode podList(String ns, String query) {
    ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "PodList");
    ArrayNode items = list.putArray("items");
    String selector = query == null ? "" : java.net.URLDecoder.decode(query, StandardCharsets.UTF_8);
    String name = selector.replaceFirst(".*labelSelector=ray\\.io/cluster=([^&]+).*", "$1");
    if (clusters.containsKey(ns + "/" + name)) {
      ObjectNode pod = items.addObject();
      ObjectNode meta = pod.putObject("metadata").put("name", name + "-head-abcde").put("namespace", ns);
      meta.putObject("labels").put("ray.io/cluster", name).put("ray.io/node-type", "head");
      ObjectNode status = pod.putObject("status").put("phase", "Running");
      status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
      status.putArray("initContainerStatuses").addObject().put("name", "geneva-bootstrap")
          .putObject("state").putObject("terminated").put("exitCode", 0)
          .put("startedAt", "2026-11-24T10:00:00Z").put("finishedAt", "2026-11-24T10:00:05Z");
    }
    return list;
  }

  private static ObjectNode notFound(String what) {
    return status(404, "NotFound", what + " not found");
  }

  private static ObjectNode status(int code, String reason, String message) {
    return JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status").put("code", code)
        .put("reason", reason).put("message", message);
  }

  private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
