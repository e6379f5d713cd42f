package io.geneva.storage.s3;

import io.geneva.ConfigurationException;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Serves {@code s3://bucket/prefix} roots with {@link S3Storage}, configured the way the AWS SDK is:
 * credentials from the default chain, the region from {@code AWS_REGION} (or the profile), and an
 * S3-compatible server's endpoint from {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}. Path-style
 * addressing is chosen for endpoints on an IP address or {@code localhost}; the system property
 * {@code geneva.s3.pathStyle} or the variable {@code GENEVA_S3_PATH_STYLE} ({@code true}/{@code
 * false}) overrides that for other servers that need it.
 *
 * <p>Stateless and thread-safe.
 */
public final class S3StorageProvider implements StorageProvider {
  private final S3Environment environment;

  /** The provider {@link java.util.ServiceLoader} creates, reading the JVM's environment. */
  public S3StorageProvider() {
    this(S3Environment.system());
  }

  S3StorageProvider(S3Environment environment) {
    this.environment = environment;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("s3");
  }

  @Override
  public Storage create(URI root) {
    S3Storage.Builder builder = S3Storage.builder(root).environment(environment);
    pathStyle().ifPresent(builder::pathStyle);
    return builder.build();
  }

  /**
   * The AWS settings this JVM has as system properties ({@code aws.region}, {@code aws.endpointUrlS3},
   * {@code aws.accessKeyId}...), as the environment variables the SDK reads, so a local worker
   * process reaches the same storage with the same identity. Settings already in the environment are
   * inherited by workers anyway and are not repeated.
   */
  @Override
  public Map<String, String> workerEnvironment() {
    Map<String, String> env = new TreeMap<>();
    PROPERTY_TO_ENVIRONMENT.forEach((property, variable) -> {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank() && System.getenv(variable) == null) {
        env.put(variable, value);
      }
    });
    return env;
  }

  private static final Map<String, String> PROPERTY_TO_ENVIRONMENT = Map.of(
      "aws.region", "AWS_REGION",
      "aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3",
      "aws.endpointUrl", "AWS_ENDPOINT_URL",
      "aws.accessKeyId", "AWS_ACCESS_KEY_ID",
      "aws.secretAccessKey", "AWS_SECRET_ACCESS_KEY",
      "aws.sessionToken", "AWS_SESSION_TOKEN",
      "aws.profile", "AWS_PROFILE",
      "geneva.s3.pathStyle", "GENEVA_S3_PATH_STYLE");

  private Optional<Boolean> pathStyle() {
    Optional<String> value = environment.setting("geneva.s3.pathStyle", "GENEVA_S3_PATH_STYLE");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigurationException("geneva.s3.pathStyle (GENEVA_S3_PATH_STYLE) is \"" + value.get()
          + "\"; set it to true or false");
    }
    return Optional.of(Boolean.parseBoolean(v));
  }
}
