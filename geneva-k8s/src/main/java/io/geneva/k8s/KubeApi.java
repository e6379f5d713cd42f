package io.geneva.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ProvisioningException;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewStatus;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes API calls the provisioner makes, on the official client: RayClusters and pods as
 * JSON trees, read and written with Jackson, so numbers stay integers, nothing of a resource is lost
 * to a typed model, and a field that a newer API server adds (or a stand-in leaves out) cannot break
 * the client's strict typed models; and the checks of pre-flight. The generated API classes still
 * build each request (URL, query, authentication), so configuration and credentials are the
 * client's.
 *
 * <p>Expected answers come back as values ({@link Optional#empty()} for 404, {@link Lookup} for an
 * existence check); anything else is a {@link ProvisioningException} that names the call, the
 * server and what to do. Thread-safe, as the client is.
 */
final class KubeApi {
  static final String GROUP = "ray.io";
  static final String VERSION = "v1";
  static final String PLURAL = "rayclusters";
  static final String CLUSTER_LABEL = "ray.io/cluster";

  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

  /** The answer of an existence check. */
  enum Lookup {
    EXISTS,
    MISSING,
    /** The account may not read it, so whether it exists is not known. */
    FORBIDDEN
  }

  private final ApiClient client;
  private final String where;
  private final CoreV1Api core;
  private final CustomObjectsApi custom;
  private final AuthorizationV1Api authorization;

  /**
   * @param where where the client's configuration came from, for messages ({@code kubeconfig
   *     ~/.kube/config (context "prod")})
   */
  /** The client, for what goes beyond REST (a port-forward). */
  ApiClient client() {
    return client;
  }

  KubeApi(ApiClient client, String where) {
    this.client = client;
    this.where = where;
    this.core = new CoreV1Api(client);
    this.custom = new CustomObjectsApi(client);
    this.authorization = new AuthorizationV1Api(client);
  }

  String server() {
    return client.getBasePath();
  }

  // ---- RayClusters ----

  Optional<ObjectNode> rayCluster(String namespace, String name) {
    String what = "get RayCluster " + name + " in namespace " + namespace;
    try {
      return Optional.of(object(send(custom.getNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name)
          .buildCall(null), null, null), what));
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw failure(what, e);
    }
  }

  /** Creates the RayCluster; empty if one of its name exists already (409). */
  Optional<ObjectNode> createRayCluster(String namespace, ObjectNode resource) {
    String what = "create RayCluster " + resource.path("metadata").path("name").asText() + " in namespace "
        + namespace;
    try {
      return Optional.of(object(send(custom.createNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, Map.of())
          .buildCall(null), resource, JSON), what));
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw failure(what, e);
    }
  }

  ObjectNode mergePatchRayCluster(String namespace, String name, ObjectNode patch) {
    String what = "patch RayCluster " + name + " in namespace " + namespace;
    try {
      return object(send(custom.patchNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name, Map.of())
          .buildCall(null), patch, MERGE_PATCH), what);
    } catch (ApiException e) {
      throw failure(what, e);
    }
  }

  /**
   * Deletes the RayCluster; its pods and services go first when {@code foreground}.
   *
   * @return false if there was none
   */
  boolean deleteRayCluster(String namespace, String name, boolean foreground) {
    String what = "delete RayCluster " + name + " in namespace " + namespace;
    try {
      send(custom.deleteNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name)
          .propagationPolicy(foreground ? "Foreground" : "Background").buildCall(null), null, null);
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw failure(what, e);
    }
  }

  /** Whether the API server serves RayClusters at all, that is whether KubeRay's CRD is installed. */
  Lookup rayClusterType(String namespace) {
    try {
      send(custom.listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL).limit(1).buildCall(null), null, null);
      return Lookup.EXISTS;
    } catch (ApiException e) {
      return lookup(e, "list RayClusters in namespace " + namespace);
    }
  }

  // ---- pods and the manifest ConfigMap ----

  /** The pods KubeRay made for the cluster, found by its label, as JSON. */
  List<JsonNode> pods(String namespace, String clusterName) {
    String what = "list the pods of RayCluster " + clusterName + " in namespace " + namespace;
    try {
      ObjectNode list = object(send(core.listNamespacedPod(namespace).labelSelector(CLUSTER_LABEL + "=" + clusterName)
          .buildCall(null), null, null), what);
      List<JsonNode> pods = new ArrayList<>();
      list.path("items").forEach(pods::add);
      return pods;
    } catch (ApiException e) {
      throw failure(what, e);
    }
  }

  /**
   * Sets one key of a ConfigMap, creating it (owned by the given owner, so that Kubernetes deletes
   * it with the owner) if it does not exist.
   */
  void putConfigMapEntry(String namespace, String name, String key, String value, V1OwnerReference owner) {
    String what = "write ConfigMap " + name + " in namespace " + namespace;
    try {
      V1ConfigMap map = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
          .metadata(new V1ObjectMeta().name(name).namespace(namespace)
              .putLabelsItem(RayClusterRenderer.MANAGED_BY_LABEL, "geneva")
              .addOwnerReferencesItem(owner))
          .putDataItem(key, value);
      core.createNamespacedConfigMap(namespace, map).execute();
      return;
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw failure(what, e);
      }
    }
    ObjectNode patch = Json.object();
    patch.putObject("data").put(key, value);
    V1Patch body = new V1Patch(Json.canonical(patch));
    try {
      PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap(name, namespace, body).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    } catch (ApiException e) {
      throw failure(what, e);
    }
  }

  // ---- pre-flight ----

  Lookup namespace(String name) {
    try {
      core.readNamespace(name).execute();
      return Lookup.EXISTS;
    } catch (ApiException e) {
      return lookup(e, "get namespace " + name);
    }
  }

  Lookup serviceAccount(String namespace, String name) {
    try {
      core.readNamespacedServiceAccount(name, namespace).execute();
      return Lookup.EXISTS;
    } catch (ApiException e) {
      return lookup(e, "get service account " + name + " in namespace " + namespace);
    }
  }

  /** Whether the Secret exists. Its content is read by the client and dropped at once, never kept or logged. */
  Lookup secret(String namespace, String name) {
    try {
      core.readNamespacedSecret(name, namespace).execute();
      return Lookup.EXISTS;
    } catch (ApiException e) {
      return lookup(e, "get Secret " + name + " in namespace " + namespace);
    }
  }

  /**
   * What reading one key of a Secret found.
   *
   * @param secret whether the Secret exists (or may not be read)
   * @param keys the Secret's keys, when it was read
   * @param value the key's value, when the Secret and the key exist; the caller must never print it
   */
  record SecretEntry(Lookup secret, Set<String> keys, Optional<byte[]> value) {
    @Override
    public String toString() {
      return "SecretEntry[" + secret + ", keys " + keys + "]"; // never the value
    }
  }

  /** Reads one key of a Secret. The rest of its content is dropped at once, never kept or logged. */
  SecretEntry secretEntry(String namespace, String name, String key) {
    try {
      V1Secret secret = core.readNamespacedSecret(name, namespace).execute();
      Map<String, byte[]> data = secret.getData() == null ? Map.of() : secret.getData();
      return new SecretEntry(Lookup.EXISTS, new TreeSet<>(data.keySet()), Optional.ofNullable(data.get(key)));
    } catch (ApiException e) {
      return new SecretEntry(lookup(e, "get Secret " + name + " in namespace " + namespace), Set.of(),
          Optional.empty());
    }
  }

  /**
   * Asks the API server whether this account may do this (a SelfSubjectAccessReview); empty when it
   * cannot be asked, so the caller learns only from the calls themselves.
   */
  Optional<Boolean> allowed(String verb, String group, String resource, String namespace) {
    V1SelfSubjectAccessReview review = new V1SelfSubjectAccessReview()
        .apiVersion("authorization.k8s.io/v1").kind("SelfSubjectAccessReview").metadata(new V1ObjectMeta())
        .spec(new V1SelfSubjectAccessReviewSpec().resourceAttributes(new V1ResourceAttributes()
            .verb(verb).group(group).resource(resource).namespace(namespace)));
    try {
      V1SubjectAccessReviewStatus status = authorization.createSelfSubjectAccessReview(review).execute().getStatus();
      return status == null ? Optional.empty() : Optional.of(Boolean.TRUE.equals(status.getAllowed()));
    } catch (ApiException e) {
      if (e.getCode() == 0) {
        throw failure("ask whether this account may " + verb + " " + resource, e);
      }
      return Optional.empty();
    }
  }

  // ---- plumbing ----

  private Lookup lookup(ApiException e, String what) {
    return switch (e.getCode()) {
      case 404 -> Lookup.MISSING;
      case 403 -> Lookup.FORBIDDEN;
      default -> throw failure(what, e);
    };
  }

  /**
   * Sends the call the generated API built (its URL, query and authentication headers), with this
   * body instead of the client's own serialization when one is given, and returns the response body.
   */
  private String send(Call built, @Nullable JsonNode body, @Nullable MediaType type) throws ApiException {
    Request request = built.request();
    if (body != null) {
      byte[] bytes;
      try {
        bytes = Json.JSON.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError(e);
      }
      request = request.newBuilder().method(request.method(), RequestBody.create(bytes, type)).build();
    }
    try (Response response = client.getHttpClient().newCall(request).execute()) {
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), text);
      }
      return text;
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  private ObjectNode object(String text, String what) {
    try {
      JsonNode node = Json.JSON.readTree(text);
      if (node != null && node.isObject()) {
        return (ObjectNode) node;
      }
    } catch (JsonProcessingException e) {
      // Reported below.
    }
    throw new ProvisioningException("cannot " + what + ": the Kubernetes API at " + server()
        + " answered with something that is not a Kubernetes object; check that " + where
        + " points at a Kubernetes API server");
  }

  /** The failure of a call, with what to do about it. */
  ProvisioningException failure(String what, ApiException e) {
    String message = statusMessage(e);
    String text = switch (e.getCode()) {
      case 0 -> "cannot " + what + ": cannot reach the Kubernetes API at " + server() + " (from " + where + "): "
          + (e.getCause() != null ? e.getCause().toString() : e.getMessage())
          + "; check the server address, your network or VPN, and that the cluster is running";
      case 401 -> "cannot " + what + ": the Kubernetes API at " + server() + " does not accept the credentials of "
          + where + " (401 Unauthorized); log in again (for example aws eks update-kubeconfig, gcloud container"
          + " clusters get-credentials, or az aks get-credentials)";
      case 403 -> "cannot " + what + ": forbidden (403)" + (message.isEmpty() ? "" : ": " + message)
          + "; ask your cluster administrator for a Role that allows it";
      default -> "cannot " + what + ": the Kubernetes API at " + server() + " answered " + e.getCode()
          + (message.isEmpty() ? "" : ": " + message);
    };
    return new ProvisioningException(text, e);
  }

  /** The {@code message} of a Kubernetes Status body, or empty. */
  static String statusMessage(ApiException e) {
    String body = e.getResponseBody();
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode status = Json.JSON.readTree(body);
      return status.path("message").asText("");
    } catch (JsonProcessingException ex) {
      return body.length() > 200 ? body.substring(0, 200) + "..." : body.strip();
    }
  }
}
