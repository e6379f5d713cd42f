package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import io.geneva.ExitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec files: YAML whose field names are the builder's, with errors that name the file and the field. */
class ClusterSpecFileTest {
  @TempDir Path tempDir;

  private Path write(String yaml) throws IOException {
    Path file = tempDir.resolve("cluster.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void designExampleFile_isTheBuilderSpec_withTheSameDigest() throws IOException {
    Path file = write("""
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
        """);

    KubeRayCluster spec = ClusterSpecFile.read(file);

    assertThat(spec).isEqualTo(Specs.design());
    assertThat(spec.digest()).isEqualTo(Specs.design().digest());
    assertThat(RayClusterRenderer.render(spec)).isEqualTo(RayClusterRenderer.render(Specs.design()));
  }

  @Test
  void fullFile_isTheBuilderSpec_withTheSameDigest() throws IOException {
    Path file = write("""
        type: kuberay
        name: prod-ray
        namespace: ml-jobs
        headImage: registry.example.com/geneva-ray-head:2.39.0
        workerImage: registry.example.com/geneva-ray-gpu:2.39.0
        serviceAccount: geneva-runner
        credentialsSecret: geneva-s3
        idleTimeout: 5m
        exitPolicy: retainOnFailure
        rayVersion: "2.39.0"
        nodeCache:
          hostPath: /mnt/disks/geneva
        head:
          cpus: 3500m
          memory: 12Gi
          nodeSelector: {pool: ray-head}
          labels:
            team: ml
            app.example.com/tier: head
          tolerations:
            - {key: dedicated, operator: Equal, value: ray, effect: NoSchedule}
          env:
            JAVA_TOOL_OPTIONS: -Xmx8g
            RAY_LOG_LEVEL: info
        workerGroups:
          - name: cpu
            cpus: 8
            memory: 32Gi
            replicas: 2
            minReplicas: 1
            maxReplicas: 20
            idleTimeout: PT10M
            labels: {team: ml}
          - name: gpu
            cpus: 7.5
            memory: 60Gi
            gpus: 2
            maxReplicas: 4
            tolerations:
              - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
              - {key: spot, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
            env: {NVIDIA_VISIBLE_DEVICES: all}
        """);

    KubeRayCluster spec = ClusterSpecFile.read(file);

    assertThat(spec).isEqualTo(Specs.full());
    assertThat(spec.exitPolicy()).isEqualTo(ExitPolicy.RETAIN_ON_FAILURE);
    assertThat(spec.digest()).isEqualTo(Specs.full().digest());
  }

  @Test
  void otherFields_nodeCacheOverrideDependenciesInImage() throws IOException {
    KubeRayCluster spec = ClusterSpecFile.read(write("""
        type: kuberay
        name: dev
        image: registry.example.com/geneva-ray:2.39.0
        dependenciesInImage: true
        nodeCache: {emptyDir: {sizeLimit: 20Gi}}
        override:
          spec:
            headGroupSpec:
              serviceType: NodePort
        """));

    assertThat(spec).isEqualTo(Specs.minimal().dependenciesInImage(true).nodeCache(NodeCacheVolume.emptyDir("20Gi"))
        .override(Map.of("spec", Map.of("headGroupSpec", Map.of("serviceType", "NodePort")))));
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nnodeCache: emptyDir\n", "<stdin>")
        .nodeCache()).isEqualTo(NodeCacheVolume.emptyDir());
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nnodeCache:\n  emptyDir:\n", "<stdin>")
        .nodeCache()).isEqualTo(NodeCacheVolume.emptyDir());
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nnodeCache: hostPath\n", "<stdin>")
        .nodeCache()).isEqualTo(NodeCacheVolume.hostPath());
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nnodeCache: {hostPath: /mnt/g, uid: 1001, gid: 0}\n",
        "<stdin>").nodeCache()).isEqualTo(NodeCacheVolume.hostPath("/mnt/g").ownedBy(1001, 0));
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nnodeCache: {hostPath: , uid: 1001}\n",
        "<stdin>").nodeCache()).isEqualTo(NodeCacheVolume.hostPath().ownedBy(1001, NodeCacheVolume.DEFAULT_GID));
  }

  @Test
  void provisionerFields_replacePolicyReadyTimeoutAndKubeContext() throws IOException {
    KubeRayCluster spec = ClusterSpecFile.read(write("""
        type: kuberay
        name: dev
        image: registry.example.com/geneva-ray:2.39.0
        replacePolicy: patch
        readyTimeout: 15m
        kubeContext: prod-eks
        """));

    assertThat(spec).isEqualTo(Specs.minimal().replacePolicy(ReplacePolicy.PATCH).readyTimeout(Duration.ofMinutes(15))
        .kubeContext("prod-eks"));
    assertThat(spec.digest()).isEqualTo(Specs.minimal().digest());
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\n", "f").replacePolicy())
        .isEqualTo(ReplacePolicy.FAIL);
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nreplacePolicy: REPLACE\n", "f")
        .replacePolicy()).isEqualTo(ReplacePolicy.REPLACE);
    assertThatThrownBy(() -> ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nreplacePolicy: pach\n", "f"))
        .hasMessageContaining("replacePolicy: \"pach\" is not one of fail, patch, replace; did you mean \"patch\"?");
    assertThatThrownBy(() -> ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nreadyTimout: 5m\n", "f"))
        .hasMessageContaining("unknown field \"readyTimout\" at top level; did you mean \"readyTimeout\"?");
  }

  @ParameterizedTest
  @CsvSource({"90s, 90", "10m, 600", "2h, 7200", "1h30m, 5400", "PT15M, 900", "1d, 86400"})
  void idleTimeout_readsShortAndIsoDurations(String text, long seconds) {
    KubeRayCluster spec = ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nidleTimeout: " + text, "f");

    assertThat(spec.idleTimeout()).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "delete | DELETE", "retain | RETAIN", "retainOnFailure | RETAIN_ON_FAILURE",
      "RETAIN_ON_FAILURE | RETAIN_ON_FAILURE", "retain-on-failure | RETAIN_ON_FAILURE"})
  void exitPolicy_readsEverySpelling(String text, ExitPolicy policy) {
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nexitPolicy: " + text, "f").exitPolicy())
        .isEqualTo(policy);
  }

  @Test
  void unknownTopLevelField_suggestsTheClosestKnownOne() throws IOException {
    Path file = write("""
        type: kuberay
        name: dev
        image: x
        workerGroup:
          - name: cpu
        """);

    assertThatThrownBy(() -> ClusterSpecFile.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cluster spec " + file + ": unknown field \"workerGroup\" at top level; did you mean"
            + " \"workerGroups\"?");
  }

  @Test
  void unknownNestedFields_nameTheirPathAndSuggest() throws IOException {
    Path file = write("""
        type: kuberay
        name: dev
        image: x
        head:
          memmory: 8Gi
          node_selector: {pool: ray}
        workerGroups:
          - name: cpu
          - name: more
            minReplica: 1
            tolerations:
              - {key: a, efect: NoSchedule}
        colour: blue
        """);

    assertThatThrownBy(() -> ClusterSpecFile.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("cluster spec " + file + " has 5 problems:")
        .hasMessageContaining("unknown field \"memmory\" in head; did you mean \"memory\"?")
        .hasMessageContaining("unknown field \"node_selector\" in head; did you mean \"nodeSelector\"?")
        .hasMessageContaining("unknown field \"minReplica\" in workerGroups[1]; did you mean \"minReplicas\"?")
        .hasMessageContaining("unknown field \"efect\" in workerGroups[1].tolerations[0]; did you mean \"effect\"?")
        .hasMessageContaining("unknown field \"colour\" at top level; known fields: type, name, namespace, image,");
  }

  @Test
  void wrongTypes_nameTheFieldAndTheTypeExpected() throws IOException {
    Path file = write("""
        type: kuberay
        name: dev
        image: x
        rayVersion: 2.40
        dependenciesInImage: "yes"
        idleTimeout: 600
        head:
          cpus: [4]
          labels: {version: 1.10}
        workerGroups:
          - name: cpu
            replicas: "2"
            maxReplicas: 2.5
            idleTimeout: soon
        """);

    assertThatThrownBy(() -> ClusterSpecFile.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rayVersion: expected a string, got a number (2.4); quote it")
        .hasMessageContaining("dependenciesInImage: expected true or false, got a string (\"yes\")")
        .hasMessageContaining("idleTimeout: expected a duration such as 90s, 10m, 2h or PT10M, got a number (600);"
            + " add a unit, such as \"600s\"")
        .hasMessageContaining("head.cpus: expected a Kubernetes quantity")
        .hasMessageContaining("head.labels[\"version\"]: expected a string, got a number (1.1)")
        .hasMessageContaining("workerGroups[0].replicas: expected a whole number, got a string (\"2\")")
        .hasMessageContaining("workerGroups[0].maxReplicas: expected a whole number, got a number (2.5)")
        .hasMessageContaining("workerGroups[0].idleTimeout: expected a duration");
  }

  @Test
  void invalidValues_areReportedWithTheFileAndTheFieldPath() throws IOException {
    Path file = write("""
        type: kuberay
        name: dev
        image: x
        workerGroups:
          - name: cpu
          - name: gpu
            minReplicas: 4
            maxReplicas: 2
            gpus: 1
            memory: 512m
        """);

    assertThatThrownBy(() -> ClusterSpecFile.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("cluster spec " + file + " has 2 problems:")
        .hasMessageContaining("workerGroups[1].minReplicas: 4 is more than maxReplicas (2)")
        .hasMessageContaining("workerGroups[1].memory: \"512m\" means 512 thousandths of a byte");
  }

  @Test
  void dashboard_isReadAsAUri_andOneThatIsNotIsRefusedNamingTheField() {
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\ndashboard: http://127.0.0.1:8265\n",
        "<stdin>").dashboard()).hasValue(java.net.URI.create("http://127.0.0.1:8265"));
    assertThatThrownBy(() -> ClusterSpecFile.parse(
        "type: kuberay\nname: dev\nimage: x\ndashboard: \"http://head svc:8265\"\n", "f.yaml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dashboard: \"http://head svc:8265\" is not a URI")
        .hasMessageContaining("like \"http://127.0.0.1:8265\"");
  }

  @Test
  void authOptions_withTheCrdsFieldNames_andRayToken_areTheBuilderSpec() throws IOException {
    KubeRayCluster spec = ClusterSpecFile.read(write("""
        type: kuberay
        name: dev
        image: registry.example.com/geneva-ray:2.52.0
        rayVersion: 2.52.0
        authOptions:
          mode: token
          secretName: dev-ray-token
        rayToken: {secret: my-copy, key: token}
        """));

    KubeRayCluster built = Specs.minimal().image("registry.example.com/geneva-ray:2.52.0").rayVersion("2.52.0")
        .authOptions(a -> a.secretName("dev-ray-token")).rayToken(RayToken.fromSecret("my-copy", "token"));
    assertThat(spec).isEqualTo(built);
    assertThat(spec.digest()).isEqualTo(built.digest());
    assertThat(RayClusterRenderer.render(spec).path("spec").path("authOptions").toString())
        .isEqualTo("{\"mode\":\"token\",\"secretName\":\"dev-ray-token\"}");

    String k8s = "type: kuberay\nname: dev\nimage: x\nrayVersion: 2.55.0\n"
        + "authOptions: {mode: token, enableK8sTokenAuth: true}\nrayToken: {env: RAY_AUTH_TOKEN}\n";
    KubeRayCluster rbac = ClusterSpecFile.parse(k8s, "<stdin>");
    assertThat(rbac.authOptions()).hasValue(AuthOptions.builder().enableK8sTokenAuth(true).build());
    assertThat(rbac.rayToken()).hasValue(RayToken.fromEnv("RAY_AUTH_TOKEN"));
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\nauthOptions: {mode: disabled}\n", "f")
        .authOptions().orElseThrow().mode()).isEqualTo(AuthOptions.Mode.DISABLED);
  }

  @Test
  void withoutRayToken_theTokenComesFromTheSecretKubeRayHandsToRay() {
    String yaml = "type: kuberay\nname: dev\nimage: x\nrayVersion: 2.52.0\nauthOptions: {mode: token}\n";

    assertThat(ClusterSpecFile.parse(yaml, "f").effectiveRayToken()).hasValue(RayToken.fromSecret("dev", "auth_token"));
    assertThat(ClusterSpecFile.parse(yaml.replace("{mode: token}", "{mode: token, secretName: mine}"), "f")
        .effectiveRayToken()).hasValue(RayToken.fromSecret("mine"));
    assertThat(ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\n", "f").effectiveRayToken()).isEmpty();
  }

  @Test
  void badAuthFields_areRefusedNamingTheFieldAndTheFix() {
    String base = "type: kuberay\nname: dev\nimage: x\nrayVersion: 2.52.0\n";
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "authOptions: {mode: tokn}\n", "f.yaml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cluster spec f.yaml: authOptions.mode: \"tokn\" is not one of disabled, token; did you mean"
            + " \"token\"?");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "authOptions: {secretName: t}\n", "f.yaml"))
        .hasMessage("cluster spec f.yaml: authOptions.mode: missing; set mode: token (or disabled)");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "authOptions: {mode: token, secretname: t}\n", "f.yaml"))
        .hasMessageContaining("unknown field \"secretname\" in authOptions; did you mean \"secretName\"?");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "authOptions: {mode: token, enableK8sTokenAuth: yes-please}\n",
        "f.yaml"))
        .hasMessageContaining("authOptions.enableK8sTokenAuth: expected");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "rayToken: {secret: s, env: V}\n", "f.yaml"))
        .hasMessage("cluster spec f.yaml: rayToken: set exactly one of secret (a Secret in the cluster's namespace,"
            + " with key) and env (an environment variable of the session, such as GENEVA_RAY_TOKEN)");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "rayToken: {}\n", "f.yaml"))
        .hasMessageContaining("rayToken: set exactly one of secret");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "rayToken: {env: V, key: k}\n", "f.yaml"))
        .hasMessage("cluster spec f.yaml: rayToken.key: applies to a secret only; remove it, or name the Secret with"
            + " secret");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "rayToken: GENEVA_RAY_TOKEN\n", "f.yaml"))
        .hasMessageContaining("rayToken: expected a mapping with fields secret, key, env, got a string");
    assertThatThrownBy(() -> ClusterSpecFile.parse(base + "rayToken: {env: 1BAD-NAME}\n", "f.yaml"))
        .hasMessage("cluster spec f.yaml: rayToken.env: \"1BAD-NAME\" is not an environment variable name; use"
            + " letters, digits and '_', like GENEVA_RAY_TOKEN");
  }

  @Test
  void cacheOwner_ofAnEmptyDir_orNotANumber_isRefusedNamingTheField() {
    assertThatThrownBy(() -> ClusterSpecFile.parse(
        "type: kuberay\nname: dev\nimage: x\nnodeCache: {emptyDir: , uid: 1000}\n", "f.yaml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nodeCache.uid: applies to a hostPath cache only");
    assertThatThrownBy(() -> ClusterSpecFile.parse(
        "type: kuberay\nname: dev\nimage: x\nnodeCache: {hostPath: /mnt/g, uid: ray}\n", "f.yaml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nodeCache.uid")
        .hasMessageContaining("a whole number");
  }

  @Test
  void badChoices_suggestTheClosestValue() {
    assertThatThrownBy(() -> ClusterSpecFile.parse("""
        type: kuberay
        name: dev
        image: x
        exitPolicy: retian
        nodeCache: emptydir
        head:
          tolerations: [{key: a, operator: exists, effect: NoSchedul}]
        """, "f.yaml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("exitPolicy: \"retian\" is not one of delete, retain, retainOnFailure; did you mean"
            + " \"retain\"?")
        .hasMessageContaining("nodeCache: \"emptydir\" is not hostPath or emptyDir; did you mean \"emptyDir\"?")
        .hasMessageContaining("head.tolerations[0].operator: \"exists\" is not one of Equal, Exists; did you mean"
            + " \"Exists\"?")
        .hasMessageContaining("head.tolerations[0].effect: \"NoSchedul\" is not one of NoSchedule,"
            + " PreferNoSchedule, NoExecute; did you mean \"NoSchedule\"?");
  }

  @Test
  void typeAndName_areRequired_andTypeMustBeKuberay() {
    assertThatThrownBy(() -> ClusterSpecFile.parse("image: x\n", "f.yaml"))
        .hasMessageContaining("type: missing; set type: kuberay")
        .hasMessageContaining("name: missing");
    assertThatThrownBy(() -> ClusterSpecFile.parse("type: local\nname: dev\nimage: x\n", "f.yaml"))
        .hasMessage("cluster spec f.yaml: type: \"local\" is not a cluster type these files describe; set type:"
            + " kuberay");
  }

  @Test
  void notAMappingOrNotYaml_isRefusedNamingTheFile() throws IOException {
    assertThatThrownBy(() -> ClusterSpecFile.read(write("")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cluster.yaml is empty");
    assertThatThrownBy(() -> ClusterSpecFile.read(write("- a\n- b\n")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be a mapping of fields");
    assertThatThrownBy(() -> ClusterSpecFile.read(write("name: [unclosed\n")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cluster.yaml is not valid YAML")
        .hasMessageContaining("line ");
    assertThatThrownBy(() -> ClusterSpecFile.read(write("type: kuberay\nname: a\nname: b\n")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Duplicate field 'name'");
    assertThatThrownBy(() -> ClusterSpecFile.read(write("type: kuberay\n---\ntype: kuberay\n")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("holds 2 YAML documents");
    Path missing = tempDir.resolve("nope.yaml");
    assertThatThrownBy(() -> ClusterSpecFile.read(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cluster spec " + missing + " does not exist; pass the path of a YAML spec file");
  }

  @Test
  void override_thatIsNotAMapping_isRefused() {
    assertThatThrownBy(() -> ClusterSpecFile.parse("type: kuberay\nname: dev\nimage: x\noverride: [1]\n", "f"))
        .hasMessage("cluster spec f: override: expected a mapping (a JSON merge patch of the RayCluster), got a list");
  }
}
