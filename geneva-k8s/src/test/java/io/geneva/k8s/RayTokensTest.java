package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ProvisioningException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finding the Ray token: each bad Secret, key or variable is named with its fix, never the token. */
class RayTokensTest {
  private static final String TOKEN = "t0k-Hq81vZ";

  private KubeApiServer kube;
  private KubeApi api;

  @BeforeEach
  void start() {
    kube = KubeApiServer.start();
    api = new KubeApi(kube.apiClient(), "the test's stand-in");
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static KubeRayCluster auth() {
    return Specs.design().rayVersion("2.52.0").authOptions(AuthOptions.token());
  }

  private Optional<DashboardToken> resolve(KubeRayCluster spec, Map<String, String> env) {
    return RayTokens.resolve(spec, api, env::get);
  }

  @Test
  void theTokenOfTheSecret_isTheHeader_andNothingPrintsIt() {
    kube.secret("ml", "dev", Map.of("auth_token", TOKEN + "\n"));

    DashboardToken token = resolve(auth(), Map.of()).orElseThrow();

    assertThat(token.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(token.source()).isEqualTo("Secret \"dev\" (key auth_token) in namespace \"ml\"");
    assertThat(token.toString()).doesNotContain(TOKEN);
    assertThat(api.secretEntry("ml", "dev", "auth_token").toString()).doesNotContain(TOKEN)
        .isEqualTo("SecretEntry[EXISTS, keys [auth_token]]");
    assertThat(resolve(Specs.design(), Map.of("GENEVA_RAY_TOKEN", TOKEN))).as("no auth, no rayToken: no token")
        .isEmpty();
  }

  @Test
  void anEmptyToken_isRefused_namingWhereItIs() {
    kube.secret("ml", "dev", Map.of("auth_token", " \n"));

    assertThatThrownBy(() -> resolve(auth(), Map.of()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("kuberay \"dev\" in namespace \"ml\": the Ray token in Secret \"dev\" (key auth_token) in namespace"
            + " \"ml\" is empty; put the cluster's token there");
  }

  @Test
  void aTokenWithALineBreakInside_isRefused_withoutShowingIt() {
    KubeRayCluster spec = Specs.design().rayToken(RayToken.fromEnv("GENEVA_RAY_TOKEN"));

    assertThatThrownBy(() -> resolve(spec, Map.of("GENEVA_RAY_TOKEN", TOKEN + "\nsecond line")))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("kuberay \"dev\" in namespace \"ml\": the Ray token in environment variable GENEVA_RAY_TOKEN holds"
            + " control characters, which no HTTP header can carry; it is not a Ray token")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
  }

  @Test
  void aSecretThisAccountMayNotRead_isNamed_withTheRoleThatAllowsIt_orTheEnvironmentInstead() {
    kube.secret("ml", "dev", Map.of("auth_token", TOKEN));
    kube.forbidSecret("ml", "dev");

    assertThatThrownBy(() -> resolve(auth(), Map.of()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("kuberay \"dev\" in namespace \"ml\": this account may not read Secret \"dev\" in namespace \"ml\""
            + " (403), which holds the Ray token; ask for get on it (kubectl create role geneva-ray-token -n ml"
            + " --verb=get --resource=secrets --resource-name=dev, and a rolebinding), or set rayToken: {env:"
            + " GENEVA_RAY_TOKEN} and put the token there");
  }

  @Test
  void aNamedSecretThisAccountMayNotRead_isAPreflightProblem() {
    kube.secret("ml", "mine", Map.of("auth_token", TOKEN));
    kube.forbidSecret("ml", "mine");

    assertThat(RayTokens.preflightProblems(auth().authOptions(a -> a.secretName("mine")), api))
        .containsExactly("this account may not read Secret \"mine\" in namespace \"ml\" (403), which holds the Ray"
            + " token; ask for get on it (kubectl create role geneva-ray-token -n ml --verb=get --resource=secrets"
            + " --resource-name=mine, and a rolebinding), or set rayToken: {env: GENEVA_RAY_TOKEN} and put the token"
            + " there");
  }

  @Test
  void anUnsetVariableForKubernetesTokenAuth_saysWhichTokenToPutThere() {
    KubeRayCluster spec = Specs.design().rayVersion("2.55.0").authOptions(a -> a.enableK8sTokenAuth(true));

    assertThat(spec.effectiveRayToken()).hasValue(RayToken.fromEnv("GENEVA_RAY_TOKEN"));
    assertThatThrownBy(() -> resolve(spec, Map.of()))
        .isInstanceOf(ProvisioningException.class)
        .hasMessage("kuberay \"dev\" in namespace \"ml\": environment variable GENEVA_RAY_TOKEN (rayToken.env) is not"
            + " set; set it to the cluster's Ray token (a Kubernetes token Ray's RBAC check accepts, such as kubectl"
            + " create token SERVICE_ACCOUNT -n ml)");
    assertThat(RayTokens.preflightProblems(spec, api)).as("no Secret to check").isEmpty();
  }
}
