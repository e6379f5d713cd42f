package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ExitPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The spec digest: stable, moved by every field that shapes the cluster, not by the exit policy. */
class SpecDigestTest {

  @Test
  void digest_isStableAcrossInstancesAndOptionOrder() {
    KubeRayCluster a = KubeRay.cluster("dev").namespace("ml").image(Specs.IMAGE)
        .head(h -> h.labels(Map.of("a", "1", "b", "2")).env("X", "1").env("Y", "2").cpus(4).memory("8Gi"));
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("b", "2");
    reversed.put("a", "1");
    KubeRayCluster b = KubeRay.cluster("dev").image(Specs.IMAGE)
        .head(h -> h.memory("8Gi").cpus("4").env("Y", "2").env("X", "1").labels(reversed)).namespace("ml");

    assertThat(a.digest()).isEqualTo(b.digest()).matches("[0-9a-f]{64}");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void digest_pinsTheCanonicalForm() {
    // Changing these values changes every digest, so every running cluster would be replaced: do it
    // on purpose only, with SpecDigest.RENDERING raised when the rendering changes.
    assertThat(SpecDigest.canonical(Specs.minimal())).isEqualTo("{\"credentialsSecret\":\"\","
        + "\"dependenciesInImage\":false,\"head\":{\"cpus\":\"1\",\"env\":{},\"gpus\":0,\"labels\":{},"
        + "\"memory\":\"4Gi\",\"nodeSelector\":{\"geneva.lancedb.com/ray-head\":\"true\"},\"tolerations\":[]},"
        + "\"headImage\":\"registry.example.com/geneva-ray:2.39.0\",\"idleTimeoutSeconds\":60,\"name\":\"dev\","
        + "\"namespace\":\"default\",\"nodeCache\":{\"kind\":\"HOST_PATH\",\"nodeDirectory\":\"/var/cache/geneva\","
        + "\"sizeLimit\":\"\"},\"rayVersion\":\"2.39.0\",\"rendering\":2,\"serviceAccount\":\"\","
        + "\"type\":\"kuberay\",\"workerGroups\":[],\"workerImage\":\"registry.example.com/geneva-ray:2.39.0\"}");
    assertThat(Specs.minimal().digest())
        .isEqualTo("5edd79cac2a465d96fdf17f7cffa7a8cedb8688ac6483a4110cb08b4dc60d558")
        .isEqualTo(sha256(SpecDigest.canonical(Specs.minimal())));
  }

  @Test
  void digest_ignoresTheExitPolicy() {
    KubeRayCluster spec = Specs.full();

    for (ExitPolicy policy : ExitPolicy.values()) {
      assertThat(spec.exitPolicy(policy).digest()).isEqualTo(spec.digest());
    }
  }

  @Test
  void digest_ignoresHowGenevaTreatsTheCluster_replacePolicyReadyTimeoutAndKubeContext() {
    KubeRayCluster spec = Specs.full();

    assertThat(spec.replacePolicy(ReplacePolicy.REPLACE).readyTimeout(Duration.ofMinutes(3)).kubeContext("prod")
        .digest()).isEqualTo(spec.digest());
    assertThat(spec.replacePolicy(ReplacePolicy.REPLACE)).isNotEqualTo(spec);
  }

  @Test
  void digest_ignoresWhereTheSessionFindsTheToken_butNotTheAuthOptions() {
    KubeRayCluster spec = Specs.full().rayVersion("2.52.0").authOptions(AuthOptions.token());

    assertThat(spec.rayToken(RayToken.fromEnv("GENEVA_RAY_TOKEN")).digest()).isEqualTo(spec.digest());
    assertThat(spec.authOptions(a -> a.secretName("other")).digest()).isNotEqualTo(spec.digest());
    assertThat(SpecDigest.canonical(spec)).contains("\"authOptions\":{\"mode\":\"token\"}");
    assertThat(SpecDigest.canonical(Specs.full())).as("unchanged for clusters without it").doesNotContain("auth");
  }

  @Test
  void digest_ofTheSameImageGivenTwoWays_isTheSame() {
    assertThat(Specs.minimal().digest())
        .isEqualTo(KubeRay.cluster("dev").headImage(Specs.IMAGE).workerImage(Specs.IMAGE).digest());
  }

  static Stream<Arguments> shapingChanges() {
    return Stream.<Map.Entry<String, UnaryOperator<KubeRayCluster>>>of(
        Map.entry("name", s -> s.name("dev2")),
        Map.entry("namespace", s -> s.namespace("other")),
        Map.entry("image", s -> s.image("registry.example.com/geneva-ray:2.40.0")),
        Map.entry("headImage", s -> s.headImage("registry.example.com/other:1")),
        Map.entry("workerImage", s -> s.workerImage("registry.example.com/other:1")),
        Map.entry("serviceAccount", s -> s.serviceAccount("runner")),
        Map.entry("credentialsSecret", s -> s.credentialsSecret("creds")),
        Map.entry("idleTimeout", s -> s.idleTimeout(Duration.ofSeconds(61))),
        Map.entry("dependenciesInImage", s -> s.dependenciesInImage(true)),
        Map.entry("nodeCache", s -> s.nodeCache(NodeCacheVolume.emptyDir())),
        Map.entry("nodeCache directory", s -> s.nodeCache(NodeCacheVolume.hostPath("/mnt/geneva"))),
        Map.entry("rayVersion", s -> s.rayVersion("2.40.0")),
        Map.entry("override", s -> s.override(Map.of("spec", Map.of("suspend", true)))),
        Map.entry("authOptions", s -> s.rayVersion("2.52.0").authOptions(AuthOptions.token())),
        Map.entry("authOptions.mode", s -> s.authOptions(a -> a.mode(AuthOptions.Mode.DISABLED))),
        Map.entry("head cpus", s -> s.head(h -> h.cpus(5))),
        Map.entry("head memory", s -> s.head(h -> h.memory("9Gi"))),
        Map.entry("head gpus", s -> s.head(h -> h.gpus(1))),
        Map.entry("head nodeSelector", s -> s.head(h -> h.nodeSelector(Map.of()))),
        Map.entry("head labels", s -> s.head(h -> h.labels(Map.of("team", "ml")))),
        Map.entry("head toleration", s -> s.head(h -> h.toleration(Toleration.exists("x")))),
        Map.entry("head env", s -> s.head(h -> h.env("A", "b"))),
        Map.entry("one more worker group", s -> s.workerGroup(w -> w.name("more"))),
        Map.entry("worker group order", s -> s.workerGroup(w -> w.name("more"))
            .workerGroups(List.of(WorkerGroup.builder().name("more").build(), s.workerGroups().get(0)))),
        Map.entry("group name", s -> group(s, b -> b.name("cpus"))),
        Map.entry("group cpus", s -> group(s, b -> b.cpus(2))),
        Map.entry("group memory", s -> group(s, b -> b.memory("8Gi"))),
        Map.entry("group gpus", s -> group(s, b -> b.gpus(1))),
        Map.entry("group replicas", s -> group(s, b -> b.replicas(3))),
        Map.entry("group minReplicas", s -> group(s, b -> b.minReplicas(0))),
        Map.entry("group maxReplicas", s -> group(s, b -> b.maxReplicas(21))),
        Map.entry("group idleTimeout", s -> group(s, b -> b.idleTimeout(Duration.ofMinutes(11)))),
        Map.entry("group nodeSelector", s -> group(s, b -> b.nodeSelector(Map.of("pool", "x")))),
        Map.entry("group labels", s -> group(s, b -> b.labels(Map.of("team", "ml")))),
        Map.entry("group toleration", s -> group(s, b -> b.toleration(Toleration.exists("x")))),
        Map.entry("group env", s -> group(s, b -> b.env("A", "b"))))
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapingChanges")
  void digest_changesWithEveryShapingField(String what, UnaryOperator<KubeRayCluster> change) {
    KubeRayCluster spec = Specs.design();

    assertThat(change.apply(spec).digest()).as(what).isNotEqualTo(spec.digest());
  }

  /** The design spec with its one worker group rebuilt by {@code change}. */
  private static KubeRayCluster group(KubeRayCluster s, java.util.function.Consumer<WorkerGroup.Builder> change) {
    WorkerGroup.Builder b = s.workerGroups().get(0).toBuilder();
    change.accept(b);
    return s.workerGroups(List.of(b.build()));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
