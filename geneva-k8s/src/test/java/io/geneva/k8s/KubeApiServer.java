package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process Kubernetes API server for the tests: fabric8's mock server in CRUD mode, which
 * stores what it is sent and serves it back over the real REST protocol, so the provisioner talks to
 * it through the official client exactly as to a real API server. It knows RayClusters because the
 * test creates KubeRay's own CRD in it, with its status subresource.
 *
 * <p>What a CRUD store cannot do is answered by a thin dispatcher in front of it: access reviews
 * (allowed, unless the test {@link #deny denies} a verb on a resource); JSON merge patches of
 * RayClusters, which the mock applies with Jackson's updating reader (arrays appended to, nulls
 * stored) and the API server by RFC 7386 (arrays replaced, nulls removing), so the stand-in applies
 * RFC 7386 itself and stores the result; and a cluster without KubeRay ({@link #uninstallKubeRay()}:
 * every {@code ray.io} path is 404, as on a real server without the CRD). Every request is
 * recorded.
 */
final class KubeApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean kubeRay = true;

  private KubeApiServer() {
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    Dispatcher front = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request.getMethod() + " " + request.getPath());
        if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")) {
          return accessReview(request);
        }
        if (request.getMethod().equals("GET") && forbidden.contains(request.getPath().replaceFirst("\\?.*$", ""))) {
          return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json").setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
              + "\"code\":403,\"message\":\"forbidden: User cannot get resource\"}");
        }
        if (!kubeRay && request.getPath().startsWith("/apis/ray.io/")) {
          return new MockResponse().setResponseCode(404).setBody("404 page not found");
        }
        String type = request.getHeader("Content-Type");
        if (request.getMethod().equals("PATCH") && request.getPath().startsWith("/apis/ray.io/")
            && type != null && type.startsWith("application/merge-patch+json")) {
          return mergePatch(crud, request);
        }
        return crud.dispatch(request);
      }
    };
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), front, false);
    server.init();
    client = server.createClient();
    try (InputStream crd = Files.newInputStream(CrdSchema.locate())) {
      CustomResourceDefinition definition = client.apiextensions().v1().customResourceDefinitions().load(crd).item();
      client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server with KubeRay's CRD and the namespaces {@code default} and {@code ml}. */
  static KubeApiServer start() {
    KubeApiServer s = new KubeApiServer();
    s.namespace("default");
    s.namespace("ml");
    return s;
  }

  /** A client-java client for this server, as the provisioner's tests inject it. */
  ApiClient apiClient() {
    return new ClientBuilder().setBasePath(url()).build();
  }

  /** The server's base URL, without a trailing '/'. */
  String url() {
    return server.url("/").replaceAll("/$", "");
  }

  /** fabric8's client for this server: what the tests and the simulated operator use. */
  NamespacedKubernetesClient client() {
    return client;
  }

  /** Access reviews of this verb on this resource ({@code rayclusters.ray.io}, {@code pods}) say no. */
  void deny(String verb, String resource) {
    denied.add(verb + " " + resource);
  }

  /** A GET of this Secret answers 403, as RBAC that does not let this account read it would. */
  void forbidSecret(String namespace, String name) {
    forbidden.add("/api/v1/namespaces/" + namespace + "/secrets/" + name);
  }

  /** The server no longer serves RayClusters: KubeRay's CRD is not installed. */
  void uninstallKubeRay() {
    kubeRay = false;
  }

  void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  void serviceAccount(String namespace, String name) {
    client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(name).endMetadata().build()).create();
  }

  void secret(String namespace, String name) {
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().addToStringData("AWS_ACCESS_KEY_ID", "test").build()).create();
  }

  /** A Secret with these keys, stored as a real API server returns them: base64 under {@code data}. */
  void secret(String namespace, String name, java.util.Map<String, String> data) {
    java.util.Map<String, String> encoded = new java.util.LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(
        v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withData(encoded).build()).create();
  }

  NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> rayClusters(String namespace) {
    return client.genericKubernetesResources("ray.io/v1", "RayCluster").inNamespace(namespace);
  }

  /** The stored RayCluster as JSON, if there is one. */
  Optional<ObjectNode> rayCluster(String namespace, String name) {
    GenericKubernetesResource r = rayClusters(namespace).withName(name).get();
    if (r == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((ObjectNode) Json.JSON.readTree(client.getKubernetesSerialization().asJson(r)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests so far, as {@code METHOD path}. */
  List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** Writes a kubeconfig with one context, {@code name}, for this server; and a second one that is unreachable. */
  Path writeKubeconfig(Path dir, String name) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: %s
          - name: nowhere
            cluster:
              server: http://127.0.0.1:1
        users:
          - name: tester
            user:
              token: not-a-real-token
        contexts:
          - name: %s
            context: {cluster: mock, user: tester}
          - name: nowhere
            context: {cluster: nowhere, user: tester}
        current-context: nowhere
        """.formatted(url(), name));
    return file;
  }

  /** RFC 7386 on the stored object: get it, apply the patch, put the result back. */
  private static MockResponse mergePatch(KubernetesCrudDispatcher crud, RecordedRequest request) {
    String path = request.getPath().replaceFirst("\\?.*$", "");
    MockResponse current = crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, request.getHeaders(),
        new Buffer()));
    if (current.code() != 200) {
      return current;
    }
    try {
      JsonNode merged = MergePatch.apply(Json.JSON.readTree(current.getBody().readUtf8()),
          Json.JSON.readTree(request.getUtf8Body()));
      Headers headers = Headers.builder().add("Content-Type", "application/json").build();
      return crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path, headers,
          new Buffer(Json.JSON.writeValueAsBytes(merged))));
    } catch (IOException e) {
      return new MockResponse().setResponseCode(400).setBody(e.toString());
    }
  }

  private MockResponse accessReview(RecordedRequest request) {
    try {
      ObjectNode review = (ObjectNode) Json.JSON.readTree(request.getUtf8Body());
      JsonNode attributes = review.path("spec").path("resourceAttributes");
      String group = attributes.path("group").asText("");
      String resource = attributes.path("resource").asText() + (group.isEmpty() ? "" : "." + group);
      boolean allowed = !denied.contains(attributes.path("verb").asText() + " " + resource);
      ObjectNode status = review.putObject("status").put("allowed", allowed);
      if (!allowed) {
        status.put("reason", "no RBAC policy matched");
      }
      return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
          .setBody(Json.JSON.writeValueAsString(review));
    } catch (IOException e) {
      return new MockResponse().setResponseCode(400).setBody(e.toString());
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
