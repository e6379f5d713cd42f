package io.geneva.k8s;

import io.geneva.ConfigurationException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How Geneva reaches a Kubernetes API server, the way {@code kubectl} does: a kubeconfig file ({@link
 * #kubeconfig(Path)}, else the first file of {@code KUBECONFIG}, else {@code ~/.kube/config}) and
 * one of its contexts ({@link #context(String)}, else the spec's {@link
 * KubeRayCluster#kubeContext(String) kubeContext}, else the file's current context); or, with no
 * kubeconfig at all, the pod's own service account when Geneva runs inside the cluster. Everything
 * else (certificates, tokens, exec credential plugins such as {@code aws eks get-token}) is the
 * official Kubernetes Java client's, which reads the kubeconfig.
 *
 * <p>Immutable and thread-safe: every {@code with}-style method returns a new value.
 */
public final class KubeAccess {
  private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final Optional<Path> kubeconfig;
  private final Optional<String> context;
  private final @Nullable ApiClient fixed;
  private final Map<String, String> environment;

  private KubeAccess(Optional<Path> kubeconfig, Optional<String> context, @Nullable ApiClient fixed,
      Map<String, String> environment) {
    this.kubeconfig = kubeconfig;
    this.context = context;
    this.fixed = fixed;
    this.environment = environment;
  }

  /** The usual way: {@code KUBECONFIG}, {@code ~/.kube/config}, or the in-cluster service account. */
  public static KubeAccess defaults() {
    return new KubeAccess(Optional.empty(), Optional.empty(), null, System.getenv());
  }

  /** With this process environment instead of the real one (tests). */
  static KubeAccess defaults(Map<String, String> environment) {
    return new KubeAccess(Optional.empty(), Optional.empty(), null, Map.copyOf(environment));
  }

  /** Through this client, as it is (tests, and programs that configure their own client). */
  static KubeAccess of(ApiClient client) {
    Objects.requireNonNull(client, "client");
    return new KubeAccess(Optional.empty(), Optional.empty(), client, Map.of());
  }

  /** Reads this kubeconfig file instead of {@code KUBECONFIG} or {@code ~/.kube/config}. */
  public KubeAccess kubeconfig(Path file) {
    Objects.requireNonNull(file, "file");
    return new KubeAccess(Optional.of(file), context, fixed, environment);
  }

  /** Uses this context of the kubeconfig instead of its current one (or the spec's). */
  public KubeAccess context(String name) {
    Objects.requireNonNull(name, "name");
    return new KubeAccess(kubeconfig, Optional.of(name), fixed, environment);
  }

  /** The context set here, if any. */
  public Optional<String> context() {
    return context;
  }

  /** The kubeconfig file set here, if any. */
  public Optional<Path> kubeconfig() {
    return kubeconfig;
  }

  /**
   * A client for the spec's cluster: this access's context, else the spec's {@code kubeContext}.
   *
   * @throws ConfigurationException if the kubeconfig cannot be read or lacks the context, or there
   *     is no Kubernetes configuration at all
   */
  ApiClient client(Optional<String> specContext) {
    if (fixed != null) {
      return fixed;
    }
    Optional<String> chosen = context.or(() -> specContext);
    Optional<Path> file = kubeconfig.or(this::defaultKubeconfig);
    if (file.isPresent()) {
      return fromKubeconfig(file.get(), chosen);
    }
    if (chosen.isPresent()) {
      throw new ConfigurationException("Kubernetes context \"" + chosen.get() + "\" was asked for, but there is no"
          + " kubeconfig: KUBECONFIG is not set and " + homeKubeconfig().map(Path::toString).orElse("~/.kube/config")
          + " does not exist; pass --kubeconfig FILE or set KUBECONFIG");
    }
    if (environment.containsKey("KUBERNETES_SERVICE_HOST") && Files.exists(SERVICE_ACCOUNT_TOKEN)) {
      try {
        return ClientBuilder.cluster().build();
      } catch (IOException e) {
        throw new ConfigurationException("cannot read this pod's Kubernetes service account from "
            + SERVICE_ACCOUNT_TOKEN.getParent() + ": " + e.getMessage(), e);
      }
    }
    throw new ConfigurationException("no Kubernetes configuration: KUBECONFIG is not set, "
        + homeKubeconfig().map(Path::toString).orElse("~/.kube/config") + " does not exist, and this is not a pod"
        + " with a service account; pass --kubeconfig FILE, set KUBECONFIG, or run kubectl's login for your"
        + " cluster (such as aws eks update-kubeconfig)");
  }

  /** Where the client reads its configuration from, for messages. */
  String describe(Optional<String> specContext) {
    if (fixed != null) {
      return "the API server at " + fixed.getBasePath();
    }
    Optional<String> chosen = context.or(() -> specContext);
    Optional<Path> file = kubeconfig.or(this::defaultKubeconfig);
    if (file.isEmpty()) {
      return "the in-cluster service account";
    }
    return "kubeconfig " + file.get() + chosen.map(c -> " (context \"" + c + "\")").orElse(" (current context)");
  }

  private static ApiClient fromKubeconfig(Path file, Optional<String> context) {
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(file)) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("kubeconfig " + file + " does not exist; pass the path of a kubeconfig"
          + " file, or leave it out for KUBECONFIG or ~/.kube/config", e);
    } catch (IOException | RuntimeException e) {
      // SnakeYAML and the client's parser throw unchecked exceptions on a malformed file.
      throw new ConfigurationException("kubeconfig " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (config == null) {
      throw new ConfigurationException("kubeconfig " + file + " is empty");
    }
    config.setFile(file.toAbsolutePath().toFile()); // relative certificate paths are relative to the file
    if (context.isPresent() && !config.setContext(context.get())) {
      throw new ConfigurationException("kubeconfig " + file + " has no context \"" + context.get() + "\" (it has "
          + contextNames(config) + "); pick one with --context, or list them with kubectl config get-contexts");
    }
    if (context.isEmpty() && config.getCurrentContext() == null) {
      throw new ConfigurationException("kubeconfig " + file + " has no current context; pick one of "
          + contextNames(config) + " with --context or kubectl config use-context");
    }
    try {
      return ClientBuilder.kubeconfig(config).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException("kubeconfig " + file + ", context \"" + config.getCurrentContext()
          + "\": cannot set up the connection: " + e.getMessage(), e);
    }
  }

  private static String contextNames(KubeConfig config) {
    List<String> names = new ArrayList<>();
    if (config.getContexts() != null) {
      for (Object c : config.getContexts()) {
        if (c instanceof Map<?, ?> m && m.get("name") != null) {
          names.add("\"" + m.get("name") + "\"");
        }
      }
    }
    return names.isEmpty() ? "no contexts" : String.join(", ", names);
  }

  /** The first file of {@code KUBECONFIG} (as the Java client reads it), else {@code ~/.kube/config}. */
  private Optional<Path> defaultKubeconfig() {
    String list = environment.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      for (String entry : list.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          return Optional.of(Path.of(entry.strip()));
        }
      }
    }
    return homeKubeconfig().filter(Files::isRegularFile);
  }

  private Optional<Path> homeKubeconfig() {
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, ".kube", "config"));
  }

  @Override
  public String toString() {
    return "KubeAccess[" + describe(Optional.empty()) + "]";
  }
}
