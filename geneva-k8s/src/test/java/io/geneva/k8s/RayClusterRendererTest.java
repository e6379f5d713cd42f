package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ConfigurationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the rendered RayCluster holds, field by field. */
class RayClusterRendererTest {
  private static final URI MANIFEST = URI.create("s3://bucket/geneva/manifests/" + "01".repeat(32) + ".json");

  @Test
  void metadata_namesTheClusterAndCarriesTheDigestAndTheManagedByLabel() {
    KubeRayCluster spec = Specs.design();
    JsonNode metadata = RayClusterRenderer.render(spec).path("metadata");

    assertThat(metadata.path("name").asText()).isEqualTo("dev");
    assertThat(metadata.path("namespace").asText()).isEqualTo("ml");
    assertThat(metadata.path("labels").path("app.kubernetes.io/managed-by").asText()).isEqualTo("geneva");
    assertThat(metadata.path("annotations").path("geneva.lancedb.com/spec-digest").asText())
        .isEqualTo(spec.digest())
        .hasSize(64);
  }

  @Test
  void autoscaling_isInTreeWithTheClusterAndGroupIdleTimeouts() {
    JsonNode spec = RayClusterRenderer.render(Specs.design()).path("spec");

    assertThat(spec.path("rayVersion").asText()).isEqualTo("2.39.0");
    assertThat(spec.path("enableInTreeAutoscaling").asBoolean()).isTrue();
    assertThat(spec.path("autoscalerOptions").path("idleTimeoutSeconds").asInt()).isEqualTo(60);
    assertThat(spec.path("autoscalerOptions").path("version").asText()).isEqualTo("v2");
    assertThat(spec.path("autoscalerOptions").path("upscalingMode").asText()).isEqualTo("Default");
    JsonNode group = spec.path("workerGroupSpecs").path(0);
    assertThat(group.path("groupName").asText()).isEqualTo("cpu");
    assertThat(group.path("replicas").asInt()).isEqualTo(2);
    assertThat(group.path("minReplicas").asInt()).isEqualTo(1);
    assertThat(group.path("maxReplicas").asInt()).isEqualTo(20);
    assertThat(group.path("idleTimeoutSeconds").asInt()).isEqualTo(600);
  }

  @Test
  void groupWithoutItsOwnIdleTimeout_hasNoIdleTimeoutSeconds() {
    JsonNode gpu = RayClusterRenderer.render(Specs.full()).path("spec").path("workerGroupSpecs").path(1);

    assertThat(gpu.has("idleTimeoutSeconds")).isFalse();
  }

  @Test
  void head_hasItsResourcesPortsDefaultNodeSelectorAndNoServiceAccountByDefault() {
    JsonNode pod = head(RayClusterRenderer.render(Specs.design()));
    JsonNode ray = pod.path("containers").path(0);

    assertThat(ray.path("name").asText()).isEqualTo("ray-head");
    assertThat(ray.path("image").asText()).isEqualTo(Specs.IMAGE);
    assertThat(ray.path("resources").path("requests")).isEqualTo(json("{\"cpu\":\"4\",\"memory\":\"8Gi\"}"));
    assertThat(ray.path("resources").path("limits")).isEqualTo(json("{\"cpu\":\"4\",\"memory\":\"8Gi\"}"));
    assertThat(ray.path("ports").findValuesAsText("containerPort")).containsExactly("6379", "8265", "10001");
    assertThat(pod.path("nodeSelector")).isEqualTo(json("{\"geneva.lancedb.com/ray-head\":\"true\"}"));
    assertThat(pod.has("serviceAccountName")).isFalse();
    assertThat(pod.has("tolerations")).isFalse();
  }

  @Test
  void workerGroups_selectCpuOrGpuNodesAndAskForGpus() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.full());
    JsonNode cpu = worker(rendered, 0);
    JsonNode gpu = worker(rendered, 1);

    assertThat(cpu.path("nodeSelector")).isEqualTo(json("{\"geneva.lancedb.com/ray-worker-cpu\":\"true\"}"));
    assertThat(cpu.path("containers").path(0).path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
    assertThat(gpu.path("nodeSelector")).isEqualTo(json("{\"geneva.lancedb.com/ray-worker-gpu\":\"true\"}"));
    JsonNode resources = gpu.path("containers").path(0).path("resources");
    assertThat(resources.path("limits").path("nvidia.com/gpu").asText()).isEqualTo("2");
    assertThat(resources.path("requests").path("nvidia.com/gpu").asText()).isEqualTo("2");
    assertThat(gpu.path("containers").path(0).path("image").asText())
        .isEqualTo("registry.example.com/geneva-ray-gpu:2.39.0");
  }

  @Test
  void podOptions_serviceAccountSelectorLabelsTolerationsEnv() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.full());
    JsonNode headTemplate = rendered.path("spec").path("headGroupSpec").path("template");
    JsonNode pod = headTemplate.path("spec");

    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("geneva-runner");
    assertThat(worker(rendered, 1).path("serviceAccountName").asText()).isEqualTo("geneva-runner");
    assertThat(pod.path("nodeSelector")).isEqualTo(json("{\"pool\":\"ray-head\"}"));
    assertThat(headTemplate.path("metadata").path("labels"))
        .isEqualTo(json("{\"app.example.com/tier\":\"head\",\"team\":\"ml\"}"));
    assertThat(pod.path("tolerations")).isEqualTo(
        json("[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"ray\",\"effect\":\"NoSchedule\"}]"));
    assertThat(worker(rendered, 1).path("tolerations")).isEqualTo(json("["
        + "{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"},"
        + "{\"key\":\"spot\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]"));
    assertThat(env(pod.path("containers").path(0)))
        .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx8g")
        .containsEntry("RAY_LOG_LEVEL", "info");
  }

  @Test
  void everyPod_bootstrapsInAnInitContainerWithTheManifestAndTheCache() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.full(), MANIFEST);

    for (JsonNode pod : List.of(head(rendered), worker(rendered, 0), worker(rendered, 1))) {
      JsonNode ray = pod.path("containers").path(0);
      JsonNode init = bootstrap(pod);
      assertThat(init.path("name").asText()).isEqualTo("geneva-bootstrap");
      assertThat(init.path("image").asText()).isEqualTo(ray.path("image").asText());
      List<String> command = new ArrayList<>();
      init.path("command").forEach(c -> command.add(c.asText()));
      assertThat(command).isEqualTo(RayClusterRenderer.BOOTSTRAP_COMMAND)
          .containsExactly("java", "-cp", "/opt/geneva/lib/*", "io.geneva.internal.worker.BootstrapMain");
      for (JsonNode container : List.of(init, ray)) {
        assertThat(env(container))
            .containsEntry("GENEVA_MANIFEST_URI", MANIFEST.toString())
            .containsEntry("GENEVA_CACHE", "/var/cache/geneva")
            .doesNotContainKey("GENEVA_DEPENDENCIES_IN_IMAGE");
        assertThat(container.path("volumeMounts"))
            .isEqualTo(json("[{\"name\":\"geneva-cache\",\"mountPath\":\"/var/cache/geneva\"}]"));
        assertThat(container.path("envFrom")).isEqualTo(json("[{\"secretRef\":{\"name\":\"geneva-s3\"}}]"));
      }
      // The init container asks for what the Ray container does, so it adds nothing to the pod's request.
      assertThat(init.path("resources").path("requests").path("cpu"))
          .isEqualTo(ray.path("resources").path("requests").path("cpu"));
      assertThat(init.path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
      assertThat(pod.path("volumes")).isEqualTo(json("[{\"name\":\"geneva-cache\",\"hostPath\":"
          + "{\"path\":\"/mnt/disks/geneva\",\"type\":\"DirectoryOrCreate\"}}]"));
    }
  }

  @Test
  void withoutAManifest_podsReadTheManifestUriFromTheClustersConfigMapWhenTheyStart() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());

    for (JsonNode pod : List.of(head(rendered), worker(rendered, 0))) {
      for (JsonNode container : List.of(bootstrap(pod), pod.path("containers").path(0))) {
        JsonNode manifest = null;
        for (JsonNode e : container.path("env")) {
          if (e.path("name").asText().equals("GENEVA_MANIFEST_URI")) {
            manifest = e;
          }
        }
        assertThat(manifest).isEqualTo(json("{\"name\":\"GENEVA_MANIFEST_URI\",\"valueFrom\":{\"configMapKeyRef\":"
            + "{\"name\":\"geneva-dev-manifest\",\"key\":\"GENEVA_MANIFEST_URI\",\"optional\":true}}}"));
      }
    }
    assertThat(RayClusterRenderer.manifestConfigMap("dev")).isEqualTo("geneva-dev-manifest");
  }

  @Test
  void bootstrapFailure_becomesTheTerminationMessage() {
    JsonNode init = bootstrap(head(RayClusterRenderer.render(Specs.design())));

    assertThat(init.path("terminationMessagePolicy").asText()).isEqualTo("FallbackToLogsOnError");
  }

  /** The pod's {@value RayClusterRenderer#BOOTSTRAP_CONTAINER} init container. */
  private static JsonNode bootstrap(JsonNode pod) {
    for (JsonNode c : pod.path("initContainers")) {
      if (c.path("name").asText().equals(RayClusterRenderer.BOOTSTRAP_CONTAINER)) {
        return c;
      }
    }
    throw new AssertionError("no bootstrap init container in " + pod);
  }

  @Test
  void hostPathCache_isHandedToItsOwnerByARootInitContainer_beforeTheBootstrap_andEveryoneElseRunsAsTheOwner() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design().nodeCache(NodeCacheVolume.hostPath("/mnt/geneva").ownedBy(1001, 1002)));

    for (JsonNode pod : List.of(head(rendered), worker(rendered, 0))) {
      assertThat(pod.path("initContainers")).extracting(c -> c.path("name").asText())
          .containsExactly("geneva-cache-owner", "geneva-bootstrap");
      JsonNode owner = pod.path("initContainers").path(0);
      assertThat(owner.path("securityContext")).isEqualTo(json("{\"runAsUser\":0,\"runAsGroup\":0,\"runAsNonRoot\":false}"));
      assertThat(owner.path("command")).isEqualTo(json(
          "[\"sh\",\"-c\",\"chown 1001:1002 /var/cache/geneva && chmod 0700 /var/cache/geneva\"]"));
      assertThat(owner.path("volumeMounts")).isEqualTo(json("[{\"name\":\"geneva-cache\",\"mountPath\":\"/var/cache/geneva\"}]"));
      assertThat(owner.path("resources")).as("adds nothing to the pod's request").isEqualTo(bootstrap(pod).path("resources"));
      for (JsonNode container : List.of(bootstrap(pod), pod.path("containers").path(0))) {
        assertThat(container.path("securityContext")).isEqualTo(json("{\"runAsUser\":1001,\"runAsGroup\":1002}"));
      }
    }
    assertThat(bootstrap(head(RayClusterRenderer.render(Specs.minimal()))).path("securityContext"))
        .as("Ray's images run as ray (1000) in group users (100)")
        .isEqualTo(json("{\"runAsUser\":1000,\"runAsGroup\":100}"));
  }

  @Test
  void emptyDirCache_needsNoOwner_andChangesNoUser() {
    JsonNode pod = head(RayClusterRenderer.render(Specs.minimal().nodeCache(NodeCacheVolume.emptyDir())));

    assertThat(pod.path("initContainers")).extracting(c -> c.path("name").asText()).containsExactly("geneva-bootstrap");
    assertThat(bootstrap(pod).has("securityContext")).isFalse();
    assertThat(pod.path("containers").path(0).has("securityContext")).isFalse();
    assertThatThrownBy(() -> NodeCacheVolume.emptyDir().ownedBy(1000, 100)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hostPath");
  }

  @Test
  void defaults_useAHostPathCacheAndNoCredentialsSecret() {
    JsonNode pod = head(RayClusterRenderer.render(Specs.minimal()));

    assertThat(pod.path("volumes")).isEqualTo(json("[{\"name\":\"geneva-cache\",\"hostPath\":"
        + "{\"path\":\"/var/cache/geneva\",\"type\":\"DirectoryOrCreate\"}}]"));
    assertThat(pod.path("containers").path(0).has("envFrom")).isFalse();
    assertThat(bootstrap(pod).has("envFrom")).isFalse();
  }

  @Test
  void emptyDirCache_isAPerPodVolume() {
    assertThat(head(RayClusterRenderer.render(Specs.minimal().nodeCache(NodeCacheVolume.emptyDir()))).path("volumes"))
        .isEqualTo(json("[{\"name\":\"geneva-cache\",\"emptyDir\":{}}]"));
    assertThat(head(RayClusterRenderer.render(Specs.minimal().nodeCache(NodeCacheVolume.emptyDir("20Gi")))).path("volumes"))
        .isEqualTo(json("[{\"name\":\"geneva-cache\",\"emptyDir\":{\"sizeLimit\":\"20Gi\"}}]"));
  }

  @Test
  void dependenciesInImage_isInEveryGenevaAndRayContainer() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.full().dependenciesInImage(true));

    for (JsonNode pod : List.of(head(rendered), worker(rendered, 0), worker(rendered, 1))) {
      assertThat(env(pod.path("containers").path(0))).containsEntry("GENEVA_DEPENDENCIES_IN_IMAGE", "true");
      assertThat(env(bootstrap(pod))).containsEntry("GENEVA_DEPENDENCIES_IN_IMAGE", "true");
    }
  }

  @Test
  void override_isAppliedLast_mergingObjectsReplacingListsAndDeletingNulls() {
    Map<String, Object> patch = new LinkedHashMap<>();
    Map<String, Object> headGroup = new LinkedHashMap<>();
    headGroup.put("serviceType", "NodePort");
    headGroup.put("rayStartParams", Map.of("num-cpus", "0"));
    Map<String, Object> autoscaler = new LinkedHashMap<>();
    autoscaler.put("upscalingMode", null);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("headGroupSpec", headGroup);
    spec.put("autoscalerOptions", autoscaler);
    spec.put("workerGroupSpecs", List.of());
    patch.put("spec", spec);
    patch.put("metadata", Map.of("labels", Map.of("cost-center", "ml-42")));

    ObjectNode rendered = RayClusterRenderer.render(Specs.design().override(patch));

    JsonNode head = rendered.path("spec").path("headGroupSpec");
    assertThat(head.path("serviceType").asText()).isEqualTo("NodePort");
    assertThat(head.path("rayStartParams"))
        .isEqualTo(json("{\"dashboard-host\":\"0.0.0.0\",\"num-cpus\":\"0\"}"));
    assertThat(head.path("template").path("spec").path("containers").size()).isEqualTo(1);
    assertThat(rendered.path("spec").path("autoscalerOptions").has("upscalingMode")).isFalse();
    assertThat(rendered.path("spec").path("autoscalerOptions").path("idleTimeoutSeconds").asInt()).isEqualTo(60);
    assertThat(rendered.path("spec").path("workerGroupSpecs").size()).isZero();
    assertThat(rendered.path("metadata").path("labels"))
        .isEqualTo(json("{\"app.kubernetes.io/managed-by\":\"geneva\",\"cost-center\":\"ml-42\"}"));
  }

  @Test
  void override_asYamlText_isTheSameAsTheMap() {
    KubeRayCluster fromText = Specs.design().override("spec:\n  headGroupSpec:\n    serviceType: NodePort\n");
    KubeRayCluster fromJson = Specs.design().override("{\"spec\": {\"headGroupSpec\": {\"serviceType\": \"NodePort\"}}}");
    KubeRayCluster fromMap = Specs.design().override(Map.of("spec", Map.of("headGroupSpec", Map.of("serviceType", "NodePort"))));

    assertThat(fromText).isEqualTo(fromJson).isEqualTo(fromMap);
    assertThat(RayClusterRenderer.render(fromText)).isEqualTo(RayClusterRenderer.render(fromMap));
  }

  @Test
  void authOptions_areRenderedAsTheCrdNamesThem_andNothingOfTheTokenSource() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design().rayVersion("2.55.0")
        .authOptions(a -> a.enableK8sTokenAuth(true)).rayToken(RayToken.fromEnv("MY_RAY_TOKEN")));

    assertThat(rendered.path("spec").path("authOptions").toString())
        .isEqualTo("{\"mode\":\"token\",\"enableK8sTokenAuth\":true}");
    assertThat(rendered.toString()).doesNotContain("MY_RAY_TOKEN");
    assertThat(RayClusterRenderer.render(Specs.design()).path("spec").has("authOptions")).isFalse();
  }

  @Test
  void relativeManifestUri_isRefused() {
    assertThatThrownBy(() -> RayClusterRenderer.render(Specs.design(), URI.create("manifests/x.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("manifests/x.json")
        .hasMessageContaining("no scheme");
  }

  @Test
  void uriThatIsNotAManifest_isRefused() {
    assertThatThrownBy(() -> RayClusterRenderer.render(Specs.design(), URI.create("s3://bucket/geneva/manifests/0123.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("s3://bucket/geneva/manifests/0123.json")
        .hasMessageContaining("\"0123.json\" is not the 64 lower-case hex digits");
  }

  @Test
  void invalidSpec_isRefusedBeforeRendering() {
    assertThatThrownBy(() -> RayClusterRenderer.render(KubeRay.cluster("dev")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("image: missing");
  }

  @Test
  void renderedYaml_quotesStringsThatLookLikeNumbersAndHasNoDocumentMarker() {
    String yaml = RayClusterRenderer.renderYaml(Specs.design());

    assertThat(yaml).doesNotStartWith("---").startsWith("apiVersion: ray.io/v1\nkind: RayCluster\n");
    assertThat(yaml).contains("cpu: \"4\"").contains("geneva.lancedb.com/ray-head: \"true\"");
  }

  private static JsonNode head(JsonNode rendered) {
    return rendered.path("spec").path("headGroupSpec").path("template").path("spec");
  }

  private static JsonNode worker(JsonNode rendered, int i) {
    return rendered.path("spec").path("workerGroupSpecs").path(i).path("template").path("spec");
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  private static JsonNode json(String text) {
    try {
      return Json.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
