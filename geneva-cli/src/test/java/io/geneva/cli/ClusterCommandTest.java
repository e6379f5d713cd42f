package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geneva cluster}: render without any cluster; up, status and down against a loopback stand-in
 * for the Kubernetes API reached through a kubeconfig; spec file errors exit 2 and cluster failures
 * exit 1, each with one line and no stack trace.
 */
class ClusterCommandTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String SPEC = """
      type: kuberay
      name: dev
      namespace: ml
      image: registry.example.com/geneva-ray:2.39.0
      head:
        cpus: 4
        memory: 8Gi
      workerGroups:
        - name: cpu
          replicas: 2
          minReplicas: 1
          maxReplicas: 20
          idleTimeout: 10m
      """;

  @TempDir Path dir;

  private Path spec(String yaml) throws IOException {
    return Files.writeString(dir.resolve("cluster.yaml"), yaml);
  }

  private static void assertOneLineFailure(Cli.Result r, int exit, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("geneva: ").contains(named).doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  // ---- render ----

  @Test
  void render_printsTheRayClusterAsYaml_thatParses() throws IOException {
    Cli.Result r = Cli.run("cluster", "render", "--spec", spec(SPEC).toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode rendered = YAML.readTree(r.out());
    assertThat(rendered.path("apiVersion").asText()).isEqualTo("ray.io/v1");
    assertThat(rendered.path("kind").asText()).isEqualTo("RayCluster");
    assertThat(rendered.path("metadata").path("name").asText()).isEqualTo("dev");
    assertThat(rendered.path("metadata").path("namespace").asText()).isEqualTo("ml");
    assertThat(rendered.path("metadata").path("annotations").path("geneva.lancedb.com/spec-digest").asText())
        .matches("[0-9a-f]{64}");
    JsonNode group = rendered.path("spec").path("workerGroupSpecs").path(0);
    assertThat(group.path("maxReplicas").asInt()).isEqualTo(20);
    assertThat(group.path("idleTimeoutSeconds").asInt()).isEqualTo(600);
    // Without --manifest, the pods read it from the cluster's ConfigMap.
    assertThat(r.out()).contains("configMapKeyRef").contains("geneva-dev-manifest");
  }

  @Test
  void render_withAManifest_putsItIntoEveryPod() throws IOException {
    String manifest = "s3://bucket/geneva/manifests/" + "ab".repeat(32) + ".json";

    Cli.Result r = Cli.run("cluster", "render", "--spec", spec(SPEC).toString(), "--manifest", manifest);

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode env = YAML.readTree(r.out()).path("spec").path("headGroupSpec").path("template").path("spec")
        .path("containers").path(0).path("env").path(0);
    assertThat(env.path("name").asText()).isEqualTo("GENEVA_MANIFEST_URI");
    assertThat(env.path("value").asText()).isEqualTo(manifest);
  }

  @Test
  void render_relativeManifest_isAUsageError() throws IOException {
    Cli.Result r = Cli.run("cluster", "render", "--spec", spec(SPEC).toString(), "--manifest", "manifests/x.json");

    assertOneLineFailure(r, 2, "--manifest: \"manifests/x.json\" is not a manifest URI", "see 'geneva cluster render --help'");
  }

  @Test
  void unknownField_exits2_namingTheFileTheFieldAndTheClosestKnownOne() throws IOException {
    Path file = spec(SPEC.replace("namespace: ml", "namespce: ml"));

    Cli.Result r = Cli.run("cluster", "render", "--spec", file.toString());

    assertOneLineFailure(r, 2, "cluster spec " + file, "unknown field \"namespce\" at top level; did you mean"
        + " \"namespace\"?");
  }

  @Test
  void invalidValues_exit2_inOneLine_namingEveryField() throws IOException {
    Path file = spec(SPEC.replace("minReplicas: 1", "minReplicas: 30").replace("memory: 8Gi", "memory: lots"));

    Cli.Result r = Cli.run("cluster", "render", "--spec", file.toString());

    assertOneLineFailure(r, 2, "cluster spec " + file + " has 2 problems:", "workerGroups[0].minReplicas: 30 is more"
        + " than maxReplicas (20)", "head.memory: \"lots\" is not a Kubernetes quantity");
  }

  @Test
  void missingSpecFile_exits2_namingIt() {
    Path missing = dir.resolve("nope.yaml");

    for (String command : new String[] {"render", "up", "status", "down"}) {
      Cli.Result r = Cli.run("cluster", command, "--spec", missing.toString());

      assertOneLineFailure(r, 2, "cluster spec " + missing + " does not exist");
    }
  }

  @Test
  void missingSpecOption_andMissingSubcommand_areUsageErrors() {
    assertOneLineFailure(Cli.run("cluster", "render"), 2, "--spec=FILE", "see 'geneva cluster render --help'");
    assertOneLineFailure(Cli.run("cluster"), 2, "missing command: use one of render, up, status, down");
  }

  // ---- up, status, down ----

  @Test
  void up_status_down_againstTheApiServerOfTheKubeconfig() throws IOException {
    Path file = spec(SPEC);
    try (FakeKubeApi kube = new FakeKubeApi()) {
      String kubeconfig = kube.writeKubeconfig(dir).toString();

      Cli.Result up = Cli.run("cluster", "up", "--spec", file.toString(), "--kubeconfig", kubeconfig);

      assertThat(up.exit()).as(up.err()).isZero();
      assertThat(up.out()).startsWith("kuberay \"dev\" in namespace \"ml\": created; ready")
          .contains("delete it with: geneva cluster down --spec " + file);
      assertThat(kube.has("ml", "dev")).isTrue();

      Cli.Result again = Cli.run("cluster", "up", "--spec", file.toString(), "--kubeconfig", kubeconfig);

      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out()).contains(": reused (its spec digest ");

      Cli.Result status = Cli.run("cluster", "status", "--spec", file.toString(), "--kubeconfig", kubeconfig);

      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out().lines()).containsExactly(
          status.out().lines().findFirst().orElseThrow(),
          "conditions:",
          "  HeadPodReady=True (HeadPodRunningAndReady)",
          "  RayClusterProvisioned=True (AllPodRunningAndReadyFirstTime)",
          "pods:",
          "  dev-head-abcde  head  Running, ready, bootstrap done in 5s");
      assertThat(status.out()).startsWith("kuberay \"dev\" in namespace \"ml\": ready; runs this spec (digest ");

      Cli.Result down = Cli.run("cluster", "down", "--spec", file.toString(), "--kubeconfig", kubeconfig);

      assertThat(down.exit()).as(down.err()).isZero();
      assertThat(down.out()).isEqualTo("kuberay \"dev\" in namespace \"ml\": deleted" + System.lineSeparator());
      assertThat(kube.has("ml", "dev")).isFalse();

      Cli.Result gone = Cli.run("cluster", "status", "--spec", file.toString(), "--kubeconfig", kubeconfig);

      assertThat(gone.out()).contains(": no RayCluster of this name; start it with geneva cluster up");
    }
  }

  @Test
  void kubeconfigFromTheEnvironment_isUsed() throws IOException {
    Path file = spec(SPEC);
    try (FakeKubeApi kube = new FakeKubeApi()) {
      Path kubeconfig = kube.writeKubeconfig(dir);

      Cli.Result down = Cli.run(Map.of("KUBECONFIG", kubeconfig.toString()), "cluster", "down", "--spec",
          file.toString());

      assertThat(down.exit()).as(down.err()).isZero();
      assertThat(down.out()).contains(": no RayCluster of this name");
      assertThat(kube.requests()).anyMatch(r -> r.startsWith("DELETE /apis/ray.io/v1/namespaces/ml/rayclusters/dev"));
    }
  }

  @Test
  void unreachableCluster_exits1_withOneLine() throws IOException {
    Path file = spec(SPEC);
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: tester, user: {token: x}}]
        contexts: [{name: gone, context: {cluster: gone, user: tester}}]
        current-context: gone
        """);

    for (String command : new String[] {"up", "status", "down"}) {
      Cli.Result r = Cli.run("cluster", command, "--spec", file.toString(), "--kubeconfig", kubeconfig.toString());

      assertOneLineFailure(r, 1, "cannot reach the Kubernetes API at http://127.0.0.1:1", "kubeconfig " + kubeconfig);
    }
  }

  @Test
  void unknownContext_exits1_namingTheContextsThereAre() throws IOException {
    Path file = spec(SPEC);
    try (FakeKubeApi kube = new FakeKubeApi()) {
      Path kubeconfig = kube.writeKubeconfig(dir);

      Cli.Result r = Cli.run("cluster", "status", "--spec", file.toString(), "--kubeconfig", kubeconfig.toString(),
          "--context", "prod");

      assertOneLineFailure(r, 1, "has no context \"prod\" (it has \"fake\")");
    }
  }
}
