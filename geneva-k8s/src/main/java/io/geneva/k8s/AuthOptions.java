package io.geneva.k8s;

import io.geneva.internal.util.SetOnce;
import java.util.Objects;
import java.util.Optional;

/**
 * Ray's token authentication as KubeRay configures it: the RayCluster's {@code spec.authOptions}
 * ({@code mode} since KubeRay 1.5.1, {@code secretName} and {@code enableK8sTokenAuth} since 1.6), with
 * the CRD's field names. With {@link Mode#TOKEN} the operator sets {@code
 * RAY_AUTH_MODE=token} and {@code RAY_AUTH_TOKEN} (from a Secret's key {@value
 * RayToken#DEFAULT_SECRET_KEY}) on every Ray container, and Ray's dashboard, the Jobs API Geneva
 * submits through, then asks every request for {@code Authorization: Bearer <token>}.
 *
 * <ul>
 *   <li>{@code mode}: {@code token} or {@code disabled}.
 *   <li>{@code secretName}: a Secret you created in the cluster's namespace, holding the token under
 *       the key {@value RayToken#DEFAULT_SECRET_KEY}. Unset, KubeRay generates a Secret named after
 *       the cluster with a random token.
 *   <li>{@code enableK8sTokenAuth}: Ray checks the caller's Kubernetes token (a service account
 *       token, or your cluster's OIDC or IAM token) with Kubernetes RBAC instead of a shared token;
 *       Ray 2.55 or newer. No Secret is involved; the session sends the token of {@link
 *       RayToken#fromEnv(String)}.
 * </ul>
 *
 * <p>Token authentication needs Ray 2.52.0 or newer in the image ({@link
 * KubeRayCluster#rayVersion(String)}); that and the rest are checked with the spec. Where the
 * session finds the token it sends is {@link KubeRayCluster#rayToken(RayToken)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthOptions {
  /** Whether Ray asks for a token; the CRD's {@code authOptions.mode}. */
  public enum Mode {
    /** No authentication. */
    DISABLED("disabled"),
    /** A bearer token on every request. */
    TOKEN("token");

    private final String kubernetesName;

    Mode(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The value as the CRD spells it. */
    public String kubernetesName() {
      return kubernetesName;
    }
  }

  private final Mode mode;
  private final Optional<String> secretName;
  private final boolean enableK8sTokenAuth;

  private AuthOptions(Builder b) {
    this.mode = b.mode;
    this.secretName = b.secretName;
    this.enableK8sTokenAuth = b.enableK8sTokenAuth;
  }

  /** Token authentication with a token KubeRay generates into a Secret named after the cluster. */
  public static AuthOptions token() {
    return builder().build();
  }

  /** A builder with {@code mode} {@link Mode#TOKEN}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this value's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.secretName = secretName;
    b.enableK8sTokenAuth = enableK8sTokenAuth;
    return b;
  }

  /** Whether Ray asks for a token. */
  public Mode mode() {
    return mode;
  }

  /** The Secret that holds the token, if not the one KubeRay generates. */
  public Optional<String> secretName() {
    return secretName;
  }

  /** Whether Ray checks Kubernetes tokens with RBAC instead of a shared token. */
  public boolean enableK8sTokenAuth() {
    return enableK8sTokenAuth;
  }

  /** Whether Ray asks requests for a token at all. */
  boolean requiresToken() {
    return mode == Mode.TOKEN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthOptions a && mode == a.mode && secretName.equals(a.secretName)
        && enableK8sTokenAuth == a.enableK8sTokenAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, secretName, enableK8sTokenAuth);
  }

  @Override
  public String toString() {
    return "AuthOptions[mode " + mode.kubernetesName() + secretName.map(s -> ", secretName " + s).orElse("")
        + (enableK8sTokenAuth ? ", enableK8sTokenAuth" : "") + "]";
  }

  /**
   * Builds {@link AuthOptions}. Each option may be set once; a second call is an {@link
   * IllegalStateException}. Mutable and not thread-safe.
   */
  public static final class Builder {
    private final SetOnce once = new SetOnce();
    private Mode mode = Mode.TOKEN;
    private Optional<String> secretName = Optional.empty();
    private boolean enableK8sTokenAuth;

    private Builder() {}

    /** Whether Ray asks for a token (default {@link Mode#TOKEN}). */
    public Builder mode(Mode mode) {
      once.set("mode", mode);
      this.mode = mode;
      return this;
    }

    /**
     * A Secret you created in the cluster's namespace, with the token under the key {@value
     * RayToken#DEFAULT_SECRET_KEY}, for KubeRay to hand to Ray; default: one KubeRay generates,
     * named after the cluster.
     */
    public Builder secretName(String secretName) {
      once.set("secretName", secretName);
      this.secretName = Optional.of(secretName);
      return this;
    }

    /** Whether Ray checks the caller's Kubernetes token with RBAC (default false); Ray 2.55 or newer. */
    public Builder enableK8sTokenAuth(boolean enable) {
      once.set("enableK8sTokenAuth", enable);
      this.enableK8sTokenAuth = enable;
      return this;
    }

    /** The options; the builder is unchanged and may be used again. */
    public AuthOptions build() {
      return new AuthOptions(this);
    }
  }
}
