package io.geneva.k8s;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the session finds the token it sends to the Ray dashboard of a cluster with token
 * authentication (see {@link AuthOptions}): a key of a Kubernetes Secret in the cluster's
 * namespace, or an environment variable of the session's process. This names the place only; it
 * never holds the token, and the token, once read, is sent as {@code Authorization: Bearer ...} and
 * never printed, logged or put in an exception.
 *
 * <p>Unless a spec sets one, a cluster whose {@link AuthOptions#mode()} is {@code token} uses the
 * Secret KubeRay hands to Ray: {@link AuthOptions#secretName()} if set, else the one KubeRay
 * generates, named after the cluster, key {@value #DEFAULT_SECRET_KEY}; with {@link
 * AuthOptions#enableK8sTokenAuth()}, the variable {@value #DEFAULT_ENV}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RayToken {
  /** The key of the token in KubeRay's Secrets. */
  public static final String DEFAULT_SECRET_KEY = "auth_token";

  /** The environment variable the session reads a token from when none is named. */
  public static final String DEFAULT_ENV = "GENEVA_RAY_TOKEN";

  private final Optional<String> secretName;
  private final String secretKey;
  private final Optional<String> environmentVariable;

  private RayToken(Optional<String> secretName, String secretKey, Optional<String> environmentVariable) {
    this.secretName = secretName;
    this.secretKey = secretKey;
    this.environmentVariable = environmentVariable;
  }

  /** The token under the key {@value #DEFAULT_SECRET_KEY} of this Secret in the cluster's namespace. */
  public static RayToken fromSecret(String secretName) {
    return fromSecret(secretName, DEFAULT_SECRET_KEY);
  }

  /** The token under this key of this Secret in the cluster's namespace. */
  public static RayToken fromSecret(String secretName, String key) {
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(key, "key");
    return new RayToken(Optional.of(secretName), key, Optional.empty());
  }

  /**
   * The token in this environment variable of the session's process, such as {@value #DEFAULT_ENV}
   * or Ray's own {@code RAY_AUTH_TOKEN}.
   */
  public static RayToken fromEnv(String variable) {
    Objects.requireNonNull(variable, "variable");
    return new RayToken(Optional.empty(), DEFAULT_SECRET_KEY, Optional.of(variable));
  }

  /** The Secret the token is read from, if it comes from one. */
  public Optional<String> secretName() {
    return secretName;
  }

  /** The Secret's key that holds the token (only meaningful with {@link #secretName()}). */
  public String secretKey() {
    return secretKey;
  }

  /** The environment variable the token is read from, if it comes from one. */
  public Optional<String> environmentVariable() {
    return environmentVariable;
  }

  /** Where the token comes from, for messages: {@code Secret "dev" (key auth_token) in namespace "ml"}. */
  String describe(String namespace) {
    return secretName.map(s -> "Secret \"" + s + "\" (key " + secretKey + ") in namespace \"" + namespace + "\"")
        .orElseGet(() -> "environment variable " + environmentVariable.orElseThrow());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RayToken t && secretName.equals(t.secretName) && secretKey.equals(t.secretKey)
        && environmentVariable.equals(t.environmentVariable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(secretName, secretKey, environmentVariable);
  }

  @Override
  public String toString() {
    return secretName.map(s -> "RayToken[Secret " + s + ", key " + secretKey + "]")
        .orElseGet(() -> "RayToken[env " + environmentVariable.orElseThrow() + "]");
  }
}
