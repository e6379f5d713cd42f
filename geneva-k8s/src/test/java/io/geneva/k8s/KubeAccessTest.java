package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import io.geneva.ProvisioningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reaching the API server through a kubeconfig, as kubectl does: the file from the option, from
 * KUBECONFIG or from ~/.kube/config, and the context from the option, from the spec, or the file's
 * current one. The kubeconfig's "mock" context points at the in-process API server, its current
 * context "nowhere" at a closed port.
 */
class KubeAccessTest {
  @TempDir Path dir;

  private KubeApiServer kube;
  private Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    kube = KubeApiServer.start();
    kubeconfig = kube.writeKubeconfig(dir, "mock");
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static KubeRayStatus status(KubeAccess access, KubeRayCluster spec) {
    return new KubeRayProvisioner(access).status(spec);
  }

  @Test
  void contextOption_selectsTheClusterOfThatContext() {
    KubeAccess access = KubeAccess.defaults(Map.of()).kubeconfig(kubeconfig).context("mock");

    assertThat(status(access, Specs.design()).exists()).isFalse();
  }

  @Test
  void specKubeContext_isUsedWhenTheAccessNamesNone_andTheAccessContextWins() {
    KubeAccess access = KubeAccess.defaults(Map.of()).kubeconfig(kubeconfig);

    assertThat(status(access, Specs.design().kubeContext("mock")).exists()).isFalse();
    assertThatThrownBy(() -> status(access.context("nowhere"), Specs.design().kubeContext("mock")))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("cannot reach the Kubernetes API at http://127.0.0.1:1");
  }

  @Test
  void currentContext_isTheDefault_andAnUnreachableServerIsOneClearError() {
    KubeAccess access = KubeAccess.defaults(Map.of("KUBECONFIG", kubeconfig.toString()));

    assertThatThrownBy(() -> status(access, Specs.design()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageStartingWith("cannot get RayCluster dev in namespace ml: cannot reach the Kubernetes API at"
            + " http://127.0.0.1:1 (from kubeconfig " + kubeconfig + " (current context))")
        .hasMessageContaining("check the server address, your network or VPN");
  }

  @Test
  void homeKubeconfig_isReadWithoutKubeconfigVariable() throws IOException {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve(".kube"));
    Files.copy(kubeconfig, home.resolve(".kube/config"));

    KubeAccess access = KubeAccess.defaults(Map.of("HOME", home.toString())).context("mock");

    assertThat(status(access, Specs.design()).exists()).isFalse();
  }

  @Test
  void unknownContext_namesTheContextsThereAre() {
    KubeAccess access = KubeAccess.defaults(Map.of()).kubeconfig(kubeconfig).context("prod");

    assertThatThrownBy(() -> status(access, Specs.design()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("kubeconfig " + kubeconfig + " has no context \"prod\" (it has \"mock\", \"nowhere\"); pick one"
            + " with --context, or list them with kubectl config get-contexts");
  }

  @Test
  void missingOrBrokenKubeconfig_isAConfigurationErrorNamingTheFile() throws IOException {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> status(KubeAccess.defaults(Map.of()).kubeconfig(missing), Specs.design()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("kubeconfig " + missing + " does not exist");

    Path broken = Files.writeString(dir.resolve("broken"), "clusters: [unclosed\n");
    assertThatThrownBy(() -> status(KubeAccess.defaults(Map.of()).kubeconfig(broken), Specs.design()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("kubeconfig " + broken + " cannot be read");
  }

  @Test
  void noConfigurationAtAll_saysWhereItLooked() {
    KubeAccess access = KubeAccess.defaults(Map.of("HOME", dir.toString()));

    assertThatThrownBy(() -> status(access, Specs.design()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("no Kubernetes configuration: KUBECONFIG is not set, " + dir.resolve(".kube/config")
            + " does not exist, and this is not a pod with a service account");
    assertThatThrownBy(() -> status(access.context("prod"), Specs.design()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Kubernetes context \"prod\" was asked for, but there is no kubeconfig");
  }
}
