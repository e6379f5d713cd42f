package io.geneva.k8s;

import io.geneva.ProvisioningException;
import io.geneva.k8s.KubeApi.Lookup;
import io.geneva.k8s.KubeApi.SecretEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds the token a cluster's dashboard asks for, where {@link KubeRayCluster#effectiveRayToken()}
 * says it is: one key of a Secret in the cluster's namespace, or an environment variable of this
 * process. Each failure names the Secret and key, or the variable, and how to fix it; never the
 * token. Stateless.
 */
final class RayTokens {
  private RayTokens() {}

  /**
   * The token, or empty if the spec names none.
   *
   * @param environment this process's environment variables ({@code System::getenv})
   * @throws ProvisioningException if the Secret, its key or the variable is missing or empty, or the
   *     Secret may not be read
   */
  static Optional<DashboardToken> resolve(KubeRayCluster spec, KubeApi api,
      Function<String, @Nullable String> environment) {
    Optional<RayToken> where = spec.effectiveRayToken();
    if (where.isEmpty()) {
      return Optional.empty();
    }
    RayToken t = where.get();
    String source = t.describe(spec.namespace());
    String value = t.secretName().isPresent() ? fromSecret(spec, api, t) : fromEnvironment(spec, t, environment);
    value = value.strip(); // a token file written with a trailing newline is the same token
    if (value.isEmpty()) {
      throw new ProvisioningException(subject(spec) + ": the Ray token in " + source + " is empty; put the"
          + " cluster's token there" + (t.secretName().isPresent() ? "" : " (" + tokenHint(spec) + ")"));
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ProvisioningException(subject(spec) + ": the Ray token in " + source + " holds control characters,"
          + " which no HTTP header can carry; it is not a Ray token");
    }
    return Optional.of(new DashboardToken(value, source, ifRefused(spec, t)));
  }

  /** What a 401 without a token should tell: where a token can come from. */
  static String howToSend(KubeRayCluster spec) {
    return "the cluster's Ray has token authentication on; set authOptions (mode: token) in the spec if KubeRay"
        + " turned it on, or rayToken: {secret: NAME, key: " + RayToken.DEFAULT_SECRET_KEY + "} or rayToken: {env: "
        + RayToken.DEFAULT_ENV + "} for where the session finds the token";
  }

  /**
   * The pre-flight problems of a token Secret the spec names: a Secret that must exist before the
   * cluster does (not the one KubeRay generates) and is missing, lacks the key or may not be read.
   */
  static List<String> preflightProblems(KubeRayCluster spec, KubeApi api) {
    List<String> problems = new ArrayList<>();
    String ns = spec.namespace();
    Optional<String> handedToRay = spec.authOptions().filter(AuthOptions::requiresToken)
        .flatMap(AuthOptions::secretName);
    handedToRay.ifPresent(name -> secretProblem(spec, api, name, RayToken.DEFAULT_SECRET_KEY,
        "authOptions.secretName").ifPresent(problems::add));
    spec.effectiveRayToken().flatMap(t -> t.secretName().map(name -> new String[] {name, t.secretKey()}))
        .filter(s -> !(handedToRay.equals(Optional.of(s[0])) && s[1].equals(RayToken.DEFAULT_SECRET_KEY)))
        .filter(s -> !generatedByKubeRay(spec, s[0]))
        .flatMap(s -> secretProblem(spec, api, s[0], s[1], spec.rayToken().isPresent() ? "rayToken.secret"
            : "authOptions.secretName"))
        .ifPresent(problems::add);
    return problems;
  }

  private static Optional<String> secretProblem(KubeRayCluster spec, KubeApi api, String name, String key,
      String field) {
    SecretEntry entry = api.secretEntry(spec.namespace(), name, key);
    return switch (entry.secret()) {
      case MISSING -> Optional.of(missingSecret(spec, name, key, field));
      case FORBIDDEN -> Optional.of(forbidden(spec, name));
      case EXISTS -> entry.value().isPresent() ? Optional.empty() : Optional.of(missingKey(spec, name, key, entry));
    };
  }

  private static String fromSecret(KubeRayCluster spec, KubeApi api, RayToken t) {
    String name = t.secretName().orElseThrow();
    SecretEntry entry = api.secretEntry(spec.namespace(), name, t.secretKey());
    if (entry.secret() == Lookup.MISSING) {
      throw new ProvisioningException(subject(spec) + ": " + (generatedByKubeRay(spec, name)
          ? "Secret \"" + name + "\" in namespace \"" + spec.namespace() + "\", which KubeRay generates for"
              + " authOptions mode token, does not exist; check that the KubeRay operator is 1.5.1 or newer (older ones"
              + " ignore authOptions) and has reconciled the cluster (kubectl get secret " + name + " -n "
              + spec.namespace() + "), or set rayToken to where the token is"
          : missingSecret(spec, name, t.secretKey(), spec.rayToken().isPresent() ? "rayToken.secret"
              : "authOptions.secretName")));
    }
    if (entry.secret() == Lookup.FORBIDDEN) {
      throw new ProvisioningException(subject(spec) + ": " + forbidden(spec, name));
    }
    byte[] bytes = entry.value().orElseThrow(() -> new ProvisioningException(subject(spec) + ": "
        + missingKey(spec, name, t.secretKey(), entry)));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String fromEnvironment(KubeRayCluster spec, RayToken t,
      Function<String, @Nullable String> environment) {
    String variable = t.environmentVariable().orElseThrow();
    String value = environment.apply(variable);
    if (value == null) {
      throw new ProvisioningException(subject(spec) + ": environment variable " + variable + " (rayToken.env) is not"
          + " set; set it to the cluster's Ray token (" + tokenHint(spec) + ")");
    }
    return value;
  }

  /** How to get the token into a variable. */
  private static String tokenHint(KubeRayCluster spec) {
    if (spec.authOptions().filter(AuthOptions::enableK8sTokenAuth).isPresent()) {
      return "a Kubernetes token Ray's RBAC check accepts, such as kubectl create token SERVICE_ACCOUNT -n "
          + spec.namespace();
    }
    String secret = spec.authOptions().flatMap(AuthOptions::secretName).orElse(spec.name());
    return "for a token KubeRay keeps: export VARIABLE=$(kubectl get secret " + secret + " -n " + spec.namespace()
        + " -o jsonpath='{.data." + RayToken.DEFAULT_SECRET_KEY + "}' | base64 -d)";
  }

  private static String ifRefused(KubeRayCluster spec, RayToken t) {
    if (t.environmentVariable().isPresent()) {
      return "check that " + t.environmentVariable().get() + " holds this cluster's token (" + tokenHint(spec) + ")";
    }
    return "check that it is the Secret Ray takes its token from (authOptions.secretName, else the one KubeRay"
        + " generates, named after the cluster) and that the head has restarted since the token changed";
  }

  /** Whether KubeRay makes this Secret itself: the cluster's own name, for authOptions without secretName. */
  private static boolean generatedByKubeRay(KubeRayCluster spec, String secretName) {
    return secretName.equals(spec.name()) && spec.authOptions()
        .filter(a -> a.requiresToken() && !a.enableK8sTokenAuth() && a.secretName().isEmpty()).isPresent();
  }

  private static String missingSecret(KubeRayCluster spec, String name, String key, String field) {
    return "Secret \"" + name + "\" (" + field + ") does not exist in namespace \"" + spec.namespace() + "\"; create"
        + " it with the Ray token (kubectl create secret generic " + name + " -n " + spec.namespace()
        + " --from-literal=" + key + "=$(openssl rand -base64 32)) or name the Secret that holds it";
  }

  private static String missingKey(KubeRayCluster spec, String name, String key, SecretEntry entry) {
    return "Secret \"" + name + "\" in namespace \"" + spec.namespace() + "\" has no key \"" + key + "\""
        + (entry.keys().isEmpty() ? " (it is empty)" : " (its keys: " + String.join(", ", entry.keys()) + ")")
        + "; put the Ray token under " + key + ", or set rayToken: {secret: " + name + ", key: KEY}";
  }

  private static String forbidden(KubeRayCluster spec, String name) {
    return "this account may not read Secret \"" + name + "\" in namespace \"" + spec.namespace() + "\" (403), which"
        + " holds the Ray token; ask for get on it (kubectl create role geneva-ray-token -n " + spec.namespace()
        + " --verb=get --resource=secrets --resource-name=" + name + ", and a rolebinding), or set rayToken: {env: "
        + RayToken.DEFAULT_ENV + "} and put the token there";
  }

  private static String subject(KubeRayCluster spec) {
    return "kuberay \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }
}
