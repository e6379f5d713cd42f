package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.geneva.ExitPolicy;
import io.geneva.JobException;
import io.geneva.MutableClock;
import io.geneva.ProvisioningException;
import io.geneva.WorkerReport;
import io.geneva.internal.cluster.ClusterProvisioners;
import io.geneva.spi.Cluster;
import io.geneva.spi.JobObserver;
import io.geneva.spi.JobRequest;
import io.geneva.spi.ProvisionContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KubeRay provisioner against an in-process Kubernetes API server (fabric8's CRUD mock, spoken to
 * by the official client over HTTP) and a {@link SimulatedOperator} that moves pods and status
 * conditions the way KubeRay and the kubelet do. The operator steps each time the provisioner
 * sleeps between two polls, and the sleep only advances a test clock: no test waits for real.
 */
class KubeRayProvisionerTest {
  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
  private static final URI MANIFEST = URI.create("s3://bucket/geneva/manifests/" + "ab".repeat(32) + ".json");

  @TempDir Path home;

  private KubeApiServer kube;
  private MutableClock clock;
  private SimulatedOperator operator;
  private final List<Duration> sleeps = new ArrayList<>();
  private KubeRayProvisioner provisioner;

  @BeforeEach
  void start() {
    kube = KubeApiServer.start();
    clock = MutableClock.at(START);
    operator = new SimulatedOperator(kube.client(), clock);
    provisioner = new KubeRayProvisioner(KubeAccess.of(kube.apiClient()), clock, d -> {
      sleeps.add(d);
      clock.advance(d);
      operator.step();
    }, QUIET_RAY);
  }

  @AfterEach
  void stop() {
    kube.close();
    if (dashboard != null) {
      dashboard.close();
    }
  }

  /**
   * The pods' side of warmup is what these tests look at: the warmup Ray job runs a command that
   * succeeds and reports no node (KubeRayJobsTest runs the real coordinator).
   */
  private static final ProvisionedRayCluster.JobLaunch QUIET_RAY =
      new ProvisionedRayCluster.JobLaunch(options -> "true", Duration.ofMillis(10));
  private FakeRayDashboard dashboard;

  private KubeRayCluster withDashboard(KubeRayCluster spec) {
    if (dashboard == null) {
      try {
        dashboard = new FakeRayDashboard(home);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return spec.dashboard().isPresent() ? spec : spec.dashboard(dashboard.uri());
  }

  private ProvisionContext context() {
    return ProvisionContext.builder().home(home).clock(clock).build();
  }

  private ProvisionedRayCluster provision(KubeRayCluster spec) {
    return (ProvisionedRayCluster) provisioner.provision(withDashboard(spec), context());
  }

  private ObjectNode stored(KubeRayCluster spec) {
    return kube.rayCluster(spec.namespace(), spec.name()).orElseThrow();
  }

  private List<Pod> pods(String namespace) {
    return kube.client().pods().inNamespace(namespace).list().getItems();
  }

  private List<String> rayClusterWrites() {
    return kube.requests().stream()
        .filter(r -> r.contains("/rayclusters") && !r.startsWith("GET")).toList();
  }

  // ---- get or create ----

  @Test
  void noCluster_createsTheRenderedOne_whichValidatesAgainstTheCrd_andWaitsUntilTheOperatorSaysReady() {
    KubeRayCluster spec = Specs.design();

    ProvisionedRayCluster cluster = provision(spec);

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.CREATED);
    ObjectNode stored = stored(spec);
    // What the API server holds, with the status the simulated operator wrote, is a valid RayCluster.
    assertThat(CrdSchema.errors(stored)).isEmpty();
    assertThat(MergePatch.same(stored.path("spec"), RayClusterRenderer.render(spec).path("spec"))).isTrue();
    assertThat(GetOrCreate.recordedDigest(stored)).isEqualTo(spec.digest());
    assertThat(Conditions.ready(stored)).isTrue();
    assertThat(pods("ml")).hasSize(3).allMatch(SimulatedOperator::ready);
    assertThat(cluster.description())
        .startsWith("kuberay \"dev\" in namespace \"ml\": created; ready after 4s")
        .contains("head and 2 workers, 3 of 3 pods ready");
    // Polls, not watches, and only the test clock moved.
    assertThat(sleeps).isNotEmpty().allMatch(d -> d.equals(Readiness.POLL));
    assertThat(clock.instant()).isEqualTo(START.plus(Readiness.POLL.multipliedBy(sleeps.size())));
  }

  @Test
  void everyOption_createsAValidCluster_withTheServiceAccountAndSecretItNames() {
    KubeRayCluster spec = Specs.full();
    kube.namespace("ml-jobs");
    kube.serviceAccount("ml-jobs", "geneva-runner");
    kube.secret("ml-jobs", "geneva-s3");

    ProvisionedRayCluster cluster = provision(spec);

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.CREATED);
    assertThat(CrdSchema.errors(stored(spec))).isEmpty();
    Pod head = pods("ml-jobs").stream().filter(SimulatedOperator.head()).findFirst().orElseThrow();
    assertThat(head.getSpec().getServiceAccountName()).isEqualTo("geneva-runner");
    assertThat(head.getSpec().getContainers().get(0).getEnvFrom().get(0).getSecretRef().getName())
        .isEqualTo("geneva-s3");
  }

  @Test
  void sameSpecAgain_reusesTheRunningCluster_andSaysSo() {
    KubeRayCluster spec = Specs.design();
    provision(spec);
    String uid = stored(spec).path("metadata").path("uid").asText();
    int writes = rayClusterWrites().size();

    ProvisionedRayCluster again = provision(spec.exitPolicy(ExitPolicy.RETAIN));

    assertThat(again.outcome()).isEqualTo(GetOrCreate.Outcome.REUSED);
    assertThat(stored(spec).path("metadata").path("uid").asText()).isEqualTo(uid);
    assertThat(rayClusterWrites()).hasSize(writes);
    assertThat(again.description()).contains(": reused (its spec digest " + spec.digest().substring(0, 12)
        + " matches); ready (head and 2 workers, 3 of 3 pods ready)");
  }

  @Test
  void changedSpec_failsByDefault_namingTheChoices_andChangesNothing() {
    KubeRayCluster spec = Specs.design();
    provision(spec);
    int writes = rayClusterWrites().size();
    KubeRayCluster changed = spec.head(h -> h.cpus(8));

    assertThatThrownBy(() -> provision(changed))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("RayCluster \"dev\" in namespace \"ml\" runs a different spec (spec digest "
            + spec.digest().substring(0, 12) + ", this spec's is " + changed.digest().substring(0, 12) + ")")
        .hasMessageContaining("replacePolicy: patch")
        .hasMessageContaining("replace (delete it and create it anew)")
        .hasMessageContaining("geneva cluster down --spec FILE")
        .hasMessageContaining("kubectl delete raycluster dev -n ml");
    assertThat(rayClusterWrites()).hasSize(writes);
    assertThat(GetOrCreate.recordedDigest(stored(spec))).isEqualTo(spec.digest());
  }

  @Test
  void aRayClusterGenevaDidNotMake_isNotTouchedByDefault() {
    KubeRayCluster spec = Specs.design();
    GenericKubernetesResource foreign = kube.client().getKubernetesSerialization().unmarshal(
        "{\"apiVersion\":\"ray.io/v1\",\"kind\":\"RayCluster\",\"metadata\":{\"name\":\"dev\",\"namespace\":\"ml\"},"
            + "\"spec\":{\"headGroupSpec\":{\"rayStartParams\":{},\"template\":{\"spec\":{\"containers\":"
            + "[{\"name\":\"ray-head\",\"image\":\"rayproject/ray:2.39.0\"}]}}}}}",
        GenericKubernetesResource.class);
    kube.rayClusters("ml").resource(foreign).create();

    assertThatThrownBy(() -> provision(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("exists but was not made by Geneva (it has no geneva.lancedb.com/spec-digest annotation)");
  }

  @Test
  void changedSpec_withPatch_mergesTheNewSpecIntoTheSameCluster_droppingWhatItNoLongerHas() {
    KubeRayCluster spec = Specs.design().head(h -> h.nodeSelector(Map.of("pool", "head", "zone", "a")));
    provision(spec);
    String uid = stored(spec).path("metadata").path("uid").asText();
    KubeRayCluster changed = spec.replacePolicy(ReplacePolicy.PATCH)
        .head(h -> h.nodeSelector(Map.of("pool", "head")))
        .workerGroups(List.of(spec.workerGroups().get(0).toBuilder().replicas(3).maxReplicas(30).build()));

    ProvisionedRayCluster cluster = provision(changed);

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.PATCHED);
    ObjectNode stored = stored(changed);
    assertThat(stored.path("metadata").path("uid").asText()).isEqualTo(uid);
    assertThat(GetOrCreate.recordedDigest(stored)).isEqualTo(changed.digest());
    assertThat(MergePatch.same(stored.path("spec"), RayClusterRenderer.render(changed).path("spec")))
        .as("the stored spec is the new rendering: %s", stored.path("spec")).isTrue();
    assertThat(stored.path("spec").path("headGroupSpec").path("template").path("spec").path("nodeSelector"))
        .isEqualTo(Json.object().put("pool", "head"));
    assertThat(CrdSchema.errors(stored)).isEmpty();
    assertThat(kube.requests()).anyMatch(r -> r.startsWith("PATCH /apis/ray.io/v1/namespaces/ml/rayclusters/dev"));
    assertThat(cluster.description()).contains(": patched to this spec (spec digest " + spec.digest().substring(0, 12)
        + " -> " + changed.digest().substring(0, 12) + "; pods already running keep their old template)");
  }

  @Test
  void changedSpec_withReplace_deletesTheClusterAndCreatesItAnew() {
    KubeRayCluster spec = Specs.design();
    provision(spec);
    String uid = stored(spec).path("metadata").path("uid").asText();
    List<String> oldPods = pods("ml").stream().map(p -> p.getMetadata().getName()).toList();
    KubeRayCluster changed = spec.replacePolicy(ReplacePolicy.REPLACE).image("registry.example.com/geneva-ray:2.40.0");

    ProvisionedRayCluster cluster = provision(changed);

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.REPLACED);
    ObjectNode stored = stored(changed);
    assertThat(stored.path("metadata").path("uid").asText()).isNotEqualTo(uid);
    assertThat(GetOrCreate.recordedDigest(stored)).isEqualTo(changed.digest());
    assertThat(kube.requests())
        .anyMatch(r -> r.startsWith("DELETE /apis/ray.io/v1/namespaces/ml/rayclusters/dev")
            && r.contains("propagationPolicy=Foreground"));
    assertThat(pods("ml")).hasSize(3)
        .noneMatch(p -> oldPods.contains(p.getMetadata().getName()))
        .allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":2.40.0"));
    assertThat(cluster.description()).contains(": replaced (deleted and created again: it ran spec digest "
        + spec.digest().substring(0, 12) + ")");
  }

  // ---- readiness ----

  static Stream<Arguments> podFailures() {
    return Stream.of(
        Arguments.of("ImagePullBackOff", SimulatedOperator.workerOf("cpu"),
            SimulatedOperator.waiting("ray-worker", "ImagePullBackOff",
                "Back-off pulling image \"registry.example.com/geneva-ray:2.39.0\""),
            List.of("container ray-worker: ImagePullBackOff (Back-off pulling image", "worker (group cpu)",
                "check that the image registry.example.com/geneva-ray:2.39.0 exists")),
        Arguments.of("ErrImagePull", SimulatedOperator.head(),
            SimulatedOperator.waiting("ray-head", "ErrImagePull",
                "failed to pull and unpack image: 401 Unauthorized"),
            List.of("(head), container ray-head: ErrImagePull (failed to pull and unpack image: 401 Unauthorized)",
                "the nodes may pull it")),
        Arguments.of("CrashLoopBackOff", SimulatedOperator.head(),
            SimulatedOperator.crashLoop("geneva-bootstrap", 1,
                "geneva bootstrap: manifest s3://bucket/geneva/manifests/ab.json does not exist"),
            List.of("(head), init container geneva-bootstrap: CrashLoopBackOff (back-off 2m40s",
                "last exit code 1 (Error): geneva bootstrap: manifest s3://bucket/geneva/manifests/ab.json does not"
                    + " exist",
                "kubectl logs ", " -c geneva-bootstrap -n ml --previous")),
        Arguments.of("OOMKilled", SimulatedOperator.workerOf("cpu"),
            SimulatedOperator.oomKilled("ray-worker"),
            List.of("container ray-worker: OOMKilled: the container ran out of memory (limit 4Gi)",
                "raise workerGroups[0].memory (group cpu) in the spec")),
        Arguments.of("Unschedulable", SimulatedOperator.head(),
            SimulatedOperator.unschedulable("0/3 nodes are available: 3 node(s) didn't match Pod's node"
                + " affinity/selector.", START.minus(Duration.ofMinutes(5))),
            List.of("(head) has been unschedulable for 5m2s: Unschedulable (0/3 nodes are available: 3 node(s)"
                + " didn't match Pod's node affinity/selector.)",
                "node selector {geneva.lancedb.com/ray-head=true}")),
        Arguments.of("CreateContainerConfigError", SimulatedOperator.head(),
            SimulatedOperator.waiting("ray-head", "CreateContainerConfigError", "secret \"geneva-s3\" not found"),
            List.of("container ray-head: CreateContainerConfigError (secret \"geneva-s3\" not found)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podFailures")
  void aPodThatCannotStart_failsProvisioningAtOnce_withThePodsReason(String reason, Predicate<Pod> which,
      Consumer<PodStatus> fault, List<String> expected) {
    operator.fault(which, fault);

    assertThatThrownBy(() -> provision(Specs.design()))
        .isInstanceOf(ProvisioningException.class)
        .satisfies(e -> {
          Pod failed = pods("ml").stream().filter(which).findFirst().orElseThrow();
          assertThat(e.getMessage())
              .startsWith("KubeRay cluster \"dev\" in namespace \"ml\" cannot start: pod "
                  + failed.getMetadata().getName() + " (")
              .contains(expected);
        });
    // At once: the first poll that sees the reason fails, long before the 10 minutes of the timeout.
    assertThat(sleeps.size()).isLessThanOrEqualTo(2);
  }

  @Test
  void aPodUnschedulableForAMoment_isWaitedFor_asANodeAutoscalerAddsANode() {
    operator.fault(SimulatedOperator.head(), SimulatedOperator.unschedulable("0/3 nodes are available", START));
    provisioner = new KubeRayProvisioner(KubeAccess.of(kube.apiClient()), clock, d -> {
      sleeps.add(d);
      clock.advance(d);
      if (sleeps.size() == 30) { // one minute in: the new node is up
        operator.clearFaults();
      }
      operator.step();
    }, QUIET_RAY);

    ProvisionedRayCluster cluster = provision(Specs.design());

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.CREATED);
    assertThat(clock.instant()).isAfter(START.plus(Duration.ofMinutes(1)));
  }

  @Test
  void operatorThatCannotCreatePods_failsProvisioningAtOnce_withItsReason() {
    operator.failToCreatePods("FailedCreateHeadPod", "pods \"dev-head-x\" is forbidden: exceeded quota: compute");

    assertThatThrownBy(() -> provision(Specs.design()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("the KubeRay operator cannot create its pods: FailedCreateHeadPod (pods \"dev-head-x\""
            + " is forbidden: exceeded quota: compute)")
        .hasMessageContaining("kubectl describe raycluster dev -n ml");
  }

  @Test
  void clusterNeverReady_failsAfterTheReadyTimeout_sayingWhatItWaitedFor_withoutWaitingForReal() {
    operator.stall();
    long wallStart = System.nanoTime();

    assertThatThrownBy(() -> provision(Specs.design().readyTimeout(Duration.ofMinutes(3))))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("KubeRay cluster \"dev\" in namespace \"ml\" was not ready within the ready timeout of 3m: ")
        .hasMessageContaining("HeadPodReady=False (HeadPodNotFound)")
        .hasMessageContaining("RayClusterProvisioned=False (RayClusterPodsProvisioning)")
        .hasMessageContaining("(head): Pending, not ready, bootstrap waiting, geneva-cache-owner waiting: PodInitializing,"
            + " geneva-bootstrap waiting: PodInitializing")
        .hasMessageContaining("raise readyTimeout if it is only slow");
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofMinutes(1));
  }

  // ---- pre-flight ----

  @Test
  void accessDenied_failsBeforeCreatingAnything_namingEveryMissingPermissionAndTheRole() {
    kube.deny("delete", "rayclusters.ray.io");
    kube.deny("list", "pods");

    assertThatThrownBy(() -> provision(Specs.design()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("this account may not delete rayclusters.ray.io (to tear the cluster down), list pods"
            + " (to find the cluster's pods) in namespace \"ml\"")
        .hasMessageContaining("kubectl create role geneva-rayclusters-ray-io -n ml --verb=delete"
            + " --resource=rayclusters.ray.io && kubectl create role geneva-pods -n ml --verb=list --resource=pods")
        .hasMessageContaining("rolebinding");
    assertThat(kube.rayCluster("ml", "dev")).isEmpty();
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void missingNamespace_failsBeforeCreatingAnything_withTheCommandThatCreatesIt() {
    assertThatThrownBy(() -> provision(Specs.design().namespace("nope")))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("KubeRay cluster \"dev\" in namespace \"nope\": namespace \"nope\" does not exist on " + kube.url()
            + "; create it (kubectl create namespace nope) or set namespace in the spec");
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void missingServiceAccountAndSecret_areReportedTogether_beforeCreatingAnything() {
    KubeRayCluster spec = Specs.design().serviceAccount("geneva-runner").credentialsSecret("geneva-s3");

    assertThatThrownBy(() -> provision(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("KubeRay cluster \"dev\" in namespace \"ml\" cannot be provisioned yet (2 problems):")
        .hasMessageContaining("service account \"geneva-runner\" does not exist in namespace \"ml\"; create it"
            + " (kubectl create serviceaccount geneva-runner -n ml")
        .hasMessageContaining("Secret \"geneva-s3\" (credentialsSecret) does not exist in namespace \"ml\"; create it"
            + " with the storage credentials as keys (kubectl create secret generic geneva-s3 -n ml");
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void missingSecretAlone_isOneProblem() {
    assertThatThrownBy(() -> provision(Specs.design().credentialsSecret("geneva-s3")))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("KubeRay cluster \"dev\" in namespace \"ml\": Secret \"geneva-s3\" (credentialsSecret)"
            + " does not exist");
  }

  // ---- pre-flight of Ray's token (authOptions, rayToken) ----

  private static KubeRayCluster tokenAuth() {
    return Specs.design().rayVersion("2.52.0");
  }

  @Test
  void aTokenSecretTheSpecHandsToKubeRay_mustExistFirst_andPreflightNamesItWithTheCommandThatCreatesIt() {
    KubeRayCluster spec = tokenAuth().authOptions(a -> a.secretName("dev-ray-token"));

    assertThatThrownBy(() -> provision(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("KubeRay cluster \"dev\" in namespace \"ml\": Secret \"dev-ray-token\" (authOptions.secretName)"
            + " does not exist in namespace \"ml\"; create it with the Ray token (kubectl create secret generic"
            + " dev-ray-token -n ml --from-literal=auth_token=$(openssl rand -base64 32)) or name the Secret that holds"
            + " it");
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void aTokenSecretWithoutTheKey_isNamedWithTheKeysItHas() {
    kube.secret("ml", "dev-ray-token", Map.of("token", "t0k3n-value"));

    assertThatThrownBy(() -> provision(tokenAuth().authOptions(a -> a.secretName("dev-ray-token"))))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("KubeRay cluster \"dev\" in namespace \"ml\": Secret \"dev-ray-token\" in namespace \"ml\" has"
            + " no key \"auth_token\" (its keys: token); put the Ray token under auth_token, or set rayToken: {secret:"
            + " dev-ray-token, key: KEY}")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("t0k3n-value"));
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void aRayTokenSecret_isCheckedToo_withItsOwnKey() {
    kube.secret("ml", "dev-ray-token", Map.of("auth_token", "t0k3n-value"));
    KubeRayCluster spec = tokenAuth().authOptions(a -> a.secretName("dev-ray-token"))
        .rayToken(RayToken.fromSecret("my-copy", "ray"));

    assertThatThrownBy(() -> provision(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("KubeRay cluster \"dev\" in namespace \"ml\": Secret \"my-copy\" (rayToken.secret) does not exist"
            + " in namespace \"ml\"; create it with the Ray token (kubectl create secret generic my-copy -n ml"
            + " --from-literal=ray=$(openssl rand -base64 32)) or name the Secret that holds it");
  }

  @Test
  void theSecretKubeRayGenerates_isNotAskedForBeforeTheClusterExists_andIsMadeWithIt() {
    KubeRayCluster spec = tokenAuth().authOptions(AuthOptions.token());

    ProvisionedRayCluster cluster = provision(spec);

    assertThat(cluster.outcome()).isEqualTo(GetOrCreate.Outcome.CREATED);
    assertThat(CrdSchema.errors(stored(spec))).isEmpty();
    assertThat(stored(spec).path("spec").path("authOptions").path("mode").asText()).isEqualTo("token");
    assertThat(kube.client().secrets().inNamespace("ml").withName("dev").get()).as("the simulated KubeRay's")
        .isNotNull();
  }

  @Test
  void mayNotReadTheTokenSecret_isReportedWithTheRoleThatAllowsIt() {
    kube.deny("get", "secrets");

    assertThatThrownBy(() -> provision(tokenAuth().authOptions(AuthOptions.token())))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("this account may not get secrets (to read the Ray token from Secret dev) in namespace"
            + " \"ml\"")
        .hasMessageContaining("kubectl create role geneva-secrets -n ml --verb=get --resource=secrets");
    assertThat(rayClusterWrites()).isEmpty();
  }

  @Test
  void kubeRayNotInstalled_saysSo() {
    kube.uninstallKubeRay();

    assertThatThrownBy(() -> provision(Specs.design()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("the API server has no RayCluster resource (ray.io/v1): KubeRay is not installed;"
            + " install its operator");
  }

  // ---- warmup, jobs, teardown ----

  @Test
  void warmup_handsTheManifestToNewPods_andReportsEveryPod() {
    KubeRayCluster spec = Specs.design();
    ProvisionedRayCluster cluster = provision(spec);

    List<WorkerReport> reports = cluster.warmup(MANIFEST);

    assertThat(reports).extracting(WorkerReport::worker)
        .containsExactlyInAnyOrderElementsOf(pods("ml").stream().map(p -> p.getMetadata().getName()).toList());
    assertThat(reports).allSatisfy(r -> {
      assertThat(r.pid()).isEqualTo(-1);
      assertThat(r.packagesFetched()).isEqualTo(-1);
      assertThat(r.packagesFromCache()).isEqualTo(-1);
      assertThat(r.bytesFetched()).isEqualTo(-1);
      assertThat(r.bootstrapMillis()).isEqualTo(7000); // the init container's start to finish
      assertThat(r.alreadyReady()).isTrue();
    });
    ConfigMap manifest = kube.client().configMaps().inNamespace("ml").withName("geneva-dev-manifest").get();
    assertThat(manifest.getData()).containsExactly(Map.entry("GENEVA_MANIFEST_URI", MANIFEST.toString()));
    assertThat(manifest.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("RayCluster");
      assertThat(o.getUid()).isEqualTo(stored(spec).path("metadata").path("uid").asText());
    });

    URI next = URI.create("s3://bucket/geneva/manifests/" + "cd".repeat(32) + ".json");
    cluster.warmup(next);

    assertThat(kube.client().configMaps().inNamespace("ml").withName("geneva-dev-manifest").get().getData())
        .containsExactly(Map.entry("GENEVA_MANIFEST_URI", next.toString()));
  }

  @Test
  void warmup_waitsForAPodThatIsStillBootstrapping() {
    ProvisionedRayCluster cluster = provision(Specs.design());
    scaleWorkers(3); // the autoscaler adds a worker: it starts now, with the manifest
    operator.step();

    List<WorkerReport> reports = cluster.warmup(MANIFEST);

    assertThat(reports).hasSize(4);
    assertThat(reports).filteredOn(r -> !r.alreadyReady()).singleElement()
        .satisfies(r -> assertThat(r.worker()).startsWith("dev-cpu-worker-"));
  }

  @Test
  void warmup_failsAtOnce_whenAPodsBootstrapFails() {
    ProvisionedRayCluster cluster = provision(Specs.design());
    operator.fault(p -> p.getMetadata().getName().equals("dev-cpu-worker-00004"),
        SimulatedOperator.crashLoop("geneva-bootstrap", 1, "geneva bootstrap: cannot read s3://bucket/x: Access Denied"));
    scaleWorkers(3);
    operator.step();

    assertThatThrownBy(() -> cluster.warmup(MANIFEST))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("pod dev-cpu-worker-00004 (worker (group cpu)), init container geneva-bootstrap:"
            + " CrashLoopBackOff")
        .hasMessageContaining("geneva bootstrap: cannot read s3://bucket/x: Access Denied");
  }

  private void scaleWorkers(int replicas) {
    GenericKubernetesResource rc = kube.rayClusters("ml").withName("dev").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> group = ((List<Map<String, Object>>) ((Map<String, Object>) rc.getAdditionalProperties()
        .get("spec")).get("workerGroupSpecs")).get(0);
    group.put("replicas", replicas);
    kube.rayClusters("ml").resource(rc).update();
  }

  @Test
  void run_outsideTheClusterWithoutADashboardAddress_forwardsALocalPortToTheHeadPod_andNamesItWhenThatFails() {
    // The stand-in API server cannot forward ports (a real one can): the forward is set up, and the
    // failure to carry the request names the local address and the cluster.
    ProvisionedRayCluster cluster = (ProvisionedRayCluster) provisioner.provision(Specs.design(), context());

    assertThatThrownBy(() -> cluster.run(JobRequest.builder().jobId("job-1").taskClass("com.example.Task")
            .partitions(4).maxAttempts(1).manifestUri(MANIFEST).build(),
            JobObserver.NONE).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(JobException.class)
        .hasMessageStartingWith("job job-1 could not be submitted to kuberay \"dev\" in namespace \"ml\": the head of"
            + " kuberay \"dev\" in namespace \"ml\" is unreachable at http://127.0.0.1:");
    cluster.close();
  }

  @ParameterizedTest(name = "{0}, session failed: {1} -> deleted: {2}")
  @CsvSource({
      "DELETE, false, true",
      "DELETE, true, true",
      "RETAIN, false, false",
      "RETAIN, true, false",
      "RETAIN_ON_FAILURE, false, true",
      "RETAIN_ON_FAILURE, true, false"})
  void close_appliesTheExitPolicy_once(ExitPolicy policy, boolean sessionFailed, boolean deleted) {
    Cluster cluster = provision(Specs.design().exitPolicy(policy));

    cluster.close(sessionFailed);
    cluster.close(sessionFailed);

    assertThat(kube.rayCluster("ml", "dev").isEmpty()).isEqualTo(deleted);
    assertThat(kube.requests().stream().filter(r -> r.startsWith("DELETE")).count()).isEqualTo(deleted ? 1 : 0);
  }

  @Test
  void close_whenTheApiServerIsGone_throwsNothing() {
    Cluster cluster = provision(Specs.design());
    kube.close();

    cluster.close(); // logs a warning that names the cluster and the kubectl command
  }

  // ---- the rest of the public surface ----

  @Test
  void serviceLoader_findsTheKubeRayProvisioner() {
    assertThat(ClusterProvisioners.forType("kuberay")).isInstanceOf(KubeRayProvisioner.class);
  }

  @Test
  void status_reportsConditionsAndPods_andDelete_removesTheCluster() {
    KubeRayCluster spec = Specs.design();
    assertThat(provisioner.status(spec).exists()).isFalse();
    provision(spec);

    KubeRayStatus status = provisioner.status(spec);

    assertThat(status.exists()).isTrue();
    assertThat(status.ready()).isTrue();
    assertThat(status.specMatches()).isTrue();
    assertThat(status.recordedDigest()).contains(spec.digest());
    assertThat(status.conditions()).extracting(KubeRayStatus.Condition::type)
        .containsExactly("HeadPodReady", "RayClusterProvisioned");
    assertThat(status.pods()).hasSize(3).allSatisfy(p -> {
      assertThat(p.ready()).isTrue();
      assertThat(p.state()).isEqualTo("Running, ready, bootstrap done in 7s");
      assertThat(p.problem()).isEmpty();
    });
    assertThat(status.pods()).extracting(KubeRayStatus.Pod::role)
        .containsExactlyInAnyOrder("head", "worker (group cpu)", "worker (group cpu)");
    assertThat(provisioner.status(spec.head(h -> h.cpus(2))).specMatches()).isFalse();

    assertThat(provisioner.delete(spec)).isTrue();
    assertThat(kube.rayCluster("ml", "dev")).isEmpty();
    assertThat(provisioner.delete(spec)).isFalse();
  }

  @Test
  void status_datesAnUnschedulablePodByTheInjectedClock() {
    KubeRayCluster spec = Specs.design();
    provision(spec);
    Instant since = clock.instant();
    operator.fault(SimulatedOperator.head(), SimulatedOperator.unschedulable("0/3 nodes are available", since));
    operator.step();

    clock.advance(PodDiagnosis.UNSCHEDULABLE_GRACE.minusSeconds(1));
    assertThat(provisioner.status(spec).pods()).allSatisfy(p -> assertThat(p.problem()).isEmpty());

    clock.advance(Duration.ofMinutes(5));
    assertThat(provisioner.status(spec).pods()).filteredOn(p -> p.role().equals("head")).singleElement()
        .satisfies(p -> assertThat(p.problem()).hasValueSatisfying(
            problem -> assertThat(problem).contains("has been unschedulable for 6m59s")));
  }

  @Test
  void aSpecOfAnotherType_isRefused() {
    assertThatThrownBy(() -> provisioner.provision(io.geneva.LocalCluster.defaults(), context()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes a KubeRayCluster");
  }

  @Test
  void theStoredResourceKeepsIntegersAsIntegers() {
    provision(Specs.design());

    JsonNode group = stored(Specs.design()).path("spec").path("workerGroupSpecs").path(0);
    assertThat(group.path("replicas").isIntegralNumber()).as(group.toString()).isTrue();
  }
}
