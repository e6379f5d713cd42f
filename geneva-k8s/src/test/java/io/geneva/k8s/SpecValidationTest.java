package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad specs are refused before anything is rendered or sent, naming the field and a fix. */
class SpecValidationTest {

  static Stream<Arguments> badSpecs() {
    KubeRayCluster ok = Specs.design();
    return Stream.of(
        bad("cluster name with capitals and '_'", ok.name("Dev_1"), "name: \"Dev_1\" is not a valid RayCluster name",
            "such as \"dev-1\""),
        bad("cluster name starting with a digit", ok.name("1dev"), "name: \"1dev\"", "starting with a letter"),
        bad("cluster name longer than KubeRay allows", ok.name("a".repeat(54)), "name: ", "at most 53"),
        bad("namespace not a DNS label", ok.namespace("ML.jobs"), "namespace: \"ML.jobs\" is not a valid namespace",
            "DNS-1123 label"),
        bad("worker group name not a DNS label", ok.workerGroup(w -> w.name("Big_CPU")),
            "workerGroups[1].name: \"Big_CPU\" is not a valid worker group name", "such as \"big-cpu\""),
        bad("worker group without a name", ok.workerGroup(w -> w.cpus(2)), "workerGroups[1].name: missing", ""),
        bad("duplicate worker group names", ok.workerGroup(w -> w.name("cpu")),
            "workerGroups[1].name: \"cpu\" is also the name of workerGroups[0]", ""),
        bad("service account not a DNS subdomain", ok.serviceAccount("Geneva Runner"),
            "serviceAccount: \"Geneva Runner\" is not a valid service account name", ""),
        bad("secret not a DNS subdomain", ok.credentialsSecret("s3_creds"),
            "credentialsSecret: \"s3_creds\" is not a valid Secret name", "such as \"s3-creds\""),
        bad("minReplicas above maxReplicas", group(w -> w.name("extra").minReplicas(5).maxReplicas(3)),
            "workerGroups[1].minReplicas: 5 is more than maxReplicas (3)", "raise maxReplicas"),
        bad("replicas above maxReplicas", group(w -> w.name("extra").replicas(9).maxReplicas(3)),
            "workerGroups[1].replicas: 9 is outside minReplicas..maxReplicas (0..3)", ""),
        bad("replicas below minReplicas", group(w -> w.name("extra").replicas(1).minReplicas(2).maxReplicas(3)),
            "workerGroups[1].replicas: 1 is outside minReplicas..maxReplicas (2..3)", ""),
        bad("negative replicas", group(w -> w.name("extra").replicas(-1)), "workerGroups[1].replicas: -1 is negative", ""),
        bad("negative maxReplicas", group(w -> w.name("extra").maxReplicas(-2)),
            "workerGroups[1].maxReplicas: -2 is negative", ""),
        bad("negative GPUs", group(w -> w.name("extra").gpus(-1)), "workerGroups[1].gpus: -1 is negative", ""),
        bad("negative head CPUs", ok.head(h -> h.cpus(-2)), "head.cpus: \"-2\" is negative", ""),
        bad("zero ready timeout", ok.readyTimeout(java.time.Duration.ZERO), "readyTimeout: must be positive", ""),
        bad("blank kube context", ok.kubeContext(" "), "kubeContext: is empty", "kubectl config get-contexts"),
        bad("zero CPUs", group(w -> w.name("extra").cpus(0)), "workerGroups[1].cpus: must be more than 0", ""),
        bad("CPUs not a quantity", group(w -> w.name("extra").cpus("four")),
            "workerGroups[1].cpus: \"four\" is not a CPU quantity", "500m"),
        bad("GPU group named gpu without GPUs", group(w -> w.name("gpu")),
            "workerGroups[1].gpus: the group \"gpu\" is named for GPUs but asks for none", "set gpus to 1 or more"),
        bad("group named a100-gpu without GPUs", group(w -> w.name("a100-gpu")),
            "workerGroups[1].gpus: the group \"a100-gpu\" is named for GPUs", ""),
        bad("group selecting GPU nodes without GPUs",
            group(w -> w.name("accel").nodeSelector(Map.of(WorkerGroup.GPU_NODE_SELECTOR_KEY, "true"))),
            "workerGroups[1].gpus: the group selects GPU nodes", ""),
        bad("GPU group selecting CPU nodes",
            group(w -> w.name("accel").gpus(1).nodeSelector(Map.of(WorkerGroup.CPU_NODE_SELECTOR_KEY, "true"))),
            "workerGroups[1].nodeSelector: the group asks for 1 GPUs but selects CPU nodes", ""),
        bad("memory not a quantity", ok.head(h -> h.memory("lots")), "head.memory: \"lots\" is not a Kubernetes quantity",
            "8Gi"),
        bad("memory in millibytes", group(w -> w.name("extra").memory("512m")),
            "workerGroups[1].memory: \"512m\" means 512 thousandths of a byte", "\"512Mi\""),
        bad("memory unit in the wrong case", ok.head(h -> h.memory("8gi")), "head.memory: \"8gi\" has an unknown unit",
            "did you mean \"8Gi\"?"),
        bad("memory without a unit", ok.head(h -> h.memory("8")), "head.memory: \"8\" is less than 1Mi",
            "\"8Gi\""),
        bad("missing image", KubeRay.cluster("dev"), "image: missing", "set image"),
        bad("missing worker image", KubeRay.cluster("dev").headImage(Specs.IMAGE).workerGroup(w -> w.name("cpu")),
            "workerImage: missing", ""),
        bad("image with a space", ok.image("registry.example.com/ray 2"),
            "image: \"registry.example.com/ray 2\" is not an image reference", ""),
        bad("zero cluster idle timeout", ok.idleTimeout(Duration.ZERO), "idleTimeout: must be positive", ""),
        bad("group idle timeout in fractions of a second",
            group(w -> w.name("extra").idleTimeout(Duration.ofMillis(1500))),
            "workerGroups[1].idleTimeout: 1s500ms is not a whole number of seconds", ""),
        bad("Ray too old for autoscaler v2", ok.rayVersion("2.9.3"), "rayVersion: \"2.9.3\" is older than 2.10.0", ""),
        bad("Ray version not a version", ok.rayVersion("latest"), "rayVersion: \"latest\" is not a Ray version", ""),
        bad("dashboard not http", ok.dashboard(java.net.URI.create("ray://head:10001")),
            "dashboard: \"ray://head:10001\" is not an http(s) address", "like \"http://127.0.0.1:8265\""),
        bad("relative host path", ok.nodeCache(NodeCacheVolume.hostPath("var/cache")),
            "nodeCache.hostPath: \"var/cache\" is not an absolute directory", ""),
        bad("host path with ..", ok.nodeCache(NodeCacheVolume.hostPath("/var/../etc")),
            "nodeCache.hostPath: \"/var/../etc\" is not a normalized path", ""),
        bad("negative cache owner", ok.nodeCache(NodeCacheVolume.hostPath().ownedBy(-1, 100)),
            "nodeCache.uid: -1 is negative", ""),
        bad("negative cache group", ok.nodeCache(NodeCacheVolume.hostPath().ownedBy(1000, -5)),
            "nodeCache.gid: -5 is negative", ""),
        bad("emptyDir limit not a quantity", ok.nodeCache(NodeCacheVolume.emptyDir("20GB")),
            "nodeCache.emptyDir.sizeLimit: \"20GB\" has an unknown unit", ""),
        bad("label key not a qualified name", ok.head(h -> h.labels(Map.of("team name", "ml"))),
            "head.labels[\"team name\"]: \"team name\" is not a valid label key", ""),
        bad("label value too long", group(w -> w.name("extra").labels(Map.of("team", "x".repeat(64)))),
            "workerGroups[1].labels[\"team\"]: ", "is not a valid label value"),
        bad("node selector value with a space", ok.head(h -> h.nodeSelector(Map.of("pool", "ray head"))),
            "head.nodeSelector[\"pool\"]: \"ray head\" is not a valid label value", ""),
        bad("env name Geneva sets", ok.head(h -> h.env("GENEVA_CACHE", "/tmp")),
            "head.env[\"GENEVA_CACHE\"]: is set by Geneva itself", ""),
        bad("env name not a name", group(w -> w.name("extra").env("1BAD", "x")),
            "workerGroups[1].env[\"1BAD\"]: \"1BAD\" is not a valid environment variable name", ""),
        bad("Equal toleration without key", ok.head(h -> h.toleration(Toleration.equal("", "x"))),
            "head.tolerations[0].key: missing", ""),
        bad("toleration seconds without NoExecute",
            ok.head(h -> h.toleration(Toleration.exists("spot").tolerationSeconds(Duration.ofSeconds(30)))),
            "head.tolerations[0].tolerationSeconds: only applies to the NoExecute effect", ""),
        bad("override renaming the cluster", ok.override(Map.of("metadata", Map.of("name", "other"))),
            "override.metadata.name: cannot be changed by an override", ""),
        bad("override moving the cluster", ok.override(Map.of("metadata", Map.of("namespace", "other"))),
            "override.metadata.namespace: cannot be changed", ""),
        bad("override removing the digest",
            ok.override("metadata: {annotations: {geneva.lancedb.com/spec-digest: null}}"),
            "override.metadata.annotations[\"geneva.lancedb.com/spec-digest\"]: cannot be changed", ""),
        bad("override changing the kind", ok.override(Map.of("kind", "RayJob")), "override.kind: cannot be changed", ""),
        bad("override replacing the whole spec", ok.override("{\"spec\": null}"),
            "override.spec: must be an object", ""));
  }

  private static Arguments bad(String what, KubeRayCluster spec, String message, String hint) {
    return Arguments.of(what, spec, message, hint);
  }

  private static KubeRayCluster group(java.util.function.Consumer<WorkerGroup.Builder> group) {
    return Specs.design().workerGroup(group);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpec_isRefusedNamingTheField(String what, KubeRayCluster spec, String message, String hint) {
    assertThatThrownBy(spec::validate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("KubeRay cluster \"" + spec.name() + "\": ")
        .hasMessageContaining(message)
        .hasMessageContaining(hint);
    assertThatThrownBy(() -> RayClusterRenderer.render(spec)).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(spec::digest).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void severalProblems_areReportedTogether() {
    KubeRayCluster spec = KubeRay.cluster("dev").namespace("ML")
        .workerGroup(w -> w.name("cpu").minReplicas(3).maxReplicas(1))
        .workerGroup(w -> w.name("gpu"));

    assertThatThrownBy(spec::validate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("KubeRay cluster \"dev\" has 4 problems:\n  - ")
        .hasMessageContaining("\n  - namespace: \"ML\"")
        .hasMessageContaining("\n  - image: missing")
        .hasMessageContaining("\n  - workerGroups[0].minReplicas: 3 is more than maxReplicas (1)")
        .hasMessageContaining("\n  - workerGroups[1].gpus: the group \"gpu\" is named for GPUs");
  }

  @Test
  void validSpecs_pass() {
    assertThat(Specs.minimal().validate()).isEqualTo(Specs.minimal());
    Specs.design().validate();
    Specs.full().validate();
    Specs.full().nodeCache(NodeCacheVolume.emptyDir("512Mi")).validate();
    // A GPU group may be called anything; a CPU group may mention GPUs in another word.
    Specs.design().workerGroup(w -> w.name("accel").gpus(1)).workerGroup(w -> w.name("gpuless")).validate();
    // A toleration of every taint has no key.
    Specs.design().head(h -> h.toleration(Toleration.exists(""))).validate();
  }

  @Test
  void replicaDefaults_followMinReplicas() {
    WorkerGroup none = WorkerGroup.builder().name("cpu").build();
    WorkerGroup min = WorkerGroup.builder().name("cpu").minReplicas(3).build();
    WorkerGroup replicas = WorkerGroup.builder().name("cpu").replicas(5).build();

    assertThat(new int[] {none.replicas(), none.minReplicas(), none.maxReplicas()}).containsExactly(0, 0, 1);
    assertThat(new int[] {min.replicas(), min.minReplicas(), min.maxReplicas()}).containsExactly(3, 3, 3);
    assertThat(new int[] {replicas.replicas(), replicas.minReplicas(), replicas.maxReplicas()})
        .containsExactly(5, 0, 5);
  }

  @Test
  void builderOption_setTwice_isAnError() {
    assertThatThrownBy(() -> WorkerGroup.builder().name("cpu").name("gpu"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set to cpu");
    assertThatThrownBy(() -> HeadGroup.builder().cpus(2).cpus("4"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cpus was already set to 2");
  }

  @Test
  void tokenAuth_needsRay252_andKubernetesTokenAuthRay255_asKubeRayChecks() {
    assertThatThrownBy(() -> Specs.minimal().authOptions(AuthOptions.token()).validate())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("KubeRay cluster \"dev\": authOptions: mode token needs Ray 2.52.0 or newer, but rayVersion is"
            + " \"2.39.0\"; use an image with Ray 2.52.0 or newer and set rayVersion to its version");
    Specs.minimal().rayVersion("2.52.0").authOptions(AuthOptions.token()).validate();
    assertThatThrownBy(() -> Specs.minimal().rayVersion("2.52.0").authOptions(a -> a.enableK8sTokenAuth(true))
        .validate())
        .hasMessageContaining("authOptions: enableK8sTokenAuth needs Ray 2.55.0 or newer");
    Specs.minimal().rayVersion("2.55.0").authOptions(a -> a.enableK8sTokenAuth(true)).validate();
    Specs.minimal().authOptions(a -> a.mode(AuthOptions.Mode.DISABLED)).validate();
  }

  @Test
  void authOptionsThatContradictThemselves_orNameNoValidSecret_areRefused() {
    KubeRayCluster ray = Specs.minimal().rayVersion("2.55.0");

    assertThatThrownBy(() -> ray.authOptions(a -> a.mode(AuthOptions.Mode.DISABLED).enableK8sTokenAuth(true))
        .validate())
        .hasMessageContaining("authOptions.enableK8sTokenAuth: needs mode token; set mode: token, or remove"
            + " enableK8sTokenAuth");
    assertThatThrownBy(() -> ray.authOptions(a -> a.mode(AuthOptions.Mode.DISABLED).secretName("s")).validate())
        .hasMessageContaining("authOptions.secretName: is not used with mode disabled");
    assertThatThrownBy(() -> ray.authOptions(a -> a.enableK8sTokenAuth(true).secretName("s")).validate())
        .hasMessageContaining("authOptions.secretName: is not used with enableK8sTokenAuth");
    assertThatThrownBy(() -> ray.authOptions(a -> a.secretName("Not_A_Name")).validate())
        .hasMessageContaining("authOptions.secretName: \"Not_A_Name\"");
    assertThatThrownBy(() -> ray.authOptions(a -> a.enableK8sTokenAuth(true)).rayToken(RayToken.fromSecret("t"))
        .validate())
        .hasMessageContaining("rayToken.secret: with enableK8sTokenAuth Ray takes Kubernetes tokens, not a Secret's;"
            + " use rayToken: {env: GENEVA_RAY_TOKEN} holding one (kubectl create token SERVICE_ACCOUNT)");
    assertThatThrownBy(() -> ray.rayToken(RayToken.fromSecret("t", "a/b")).validate())
        .hasMessageContaining("rayToken.key: \"a/b\" is not a Secret key");
    assertThatThrownBy(() -> ray.rayToken(RayToken.fromSecret("T")).validate())
        .hasMessageContaining("rayToken.secret: \"T\"");
  }

  @Test
  void authOptionsBuilder_setTwice_isAnError_andTheConsumerStartsFromTheCurrentOptions() {
    assertThatThrownBy(() -> AuthOptions.builder().secretName("a").secretName("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("secretName was already set to a");
    KubeRayCluster spec = Specs.minimal().authOptions(a -> a.secretName("a")).authOptions(a -> a.enableK8sTokenAuth(false));
    assertThat(spec.authOptions().orElseThrow().secretName()).hasValue("a");
    assertThat(AuthOptions.token().toString()).isEqualTo("AuthOptions[mode token]");
    assertThat(RayToken.fromEnv("V").toString()).isEqualTo("RayToken[env V]");
  }

  @Test
  void headConsumer_startsFromTheCurrentHead() {
    KubeRayCluster spec = Specs.design().head(h -> h.gpus(1));

    assertThat(spec.head().cpus()).isEqualTo("4");
    assertThat(spec.head().memory()).isEqualTo("8Gi");
    assertThat(spec.head().gpus()).isEqualTo(1);
  }

  @Test
  void withStyleMethods_leaveTheOriginalUnchanged() {
    KubeRayCluster original = Specs.design();
    KubeRayCluster changed = original.namespace("other").workerGroup(w -> w.name("more"));

    assertThat(original.namespace()).isEqualTo("ml");
    assertThat(original.workerGroups()).hasSize(1);
    assertThat(changed.workerGroups()).hasSize(2);
    assertThat(original).isEqualTo(Specs.design()).hasSameHashCodeAs(Specs.design());
  }

  @Test
  void overrideText_thatIsNotAnObject_isRefusedAtOnce() {
    assertThatThrownBy(() -> Specs.design().override("[1, 2]"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("override: the patch must be an object");
    assertThatThrownBy(() -> Specs.design().override("spec: {unclosed"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("override: the patch is neither JSON nor YAML");
  }
}
