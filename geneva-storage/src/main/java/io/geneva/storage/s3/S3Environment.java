package io.geneva.storage.s3;

import io.geneva.ConfigurationException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * What the environment says about S3, read the way the AWS SDK reads it, for the decisions the SDK
 * does not make for us. The SDK (2.57) resolves the endpoint from {@code aws.endpointUrlS3} / {@code
 * AWS_ENDPOINT_URL_S3}, then {@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}, then the profile's
 * {@code endpoint_url}, by itself; Geneva looks them up too only to choose path-style addressing,
 * to default the region for S3-compatible servers, and to name the endpoint in error messages.
 */
final class S3Environment {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Function<String, String> properties;
  private final Function<String, String> variables;

  S3Environment(Function<String, String> properties, Function<String, String> variables) {
    this.properties = properties;
    this.variables = variables;
  }

  /** The JVM's system properties and the process environment. */
  static S3Environment system() {
    return new S3Environment(System::getProperty, System::getenv);
  }

  /** A setting the AWS way: the system property wins over the environment variable. */
  Optional<String> setting(String property, String variable) {
    String value = properties.apply(property);
    if (value == null || value.isBlank()) {
      value = variables.apply(variable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The endpoint the SDK will use, if one is configured outside the code. */
  Optional<URI> endpoint() {
    boolean ignore = setting("aws.ignoreConfiguredEndpointUrls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .map(v -> v.equalsIgnoreCase("true"))
        .orElse(false);
    if (ignore) {
      return Optional.empty();
    }
    Optional<String> configured = setting("aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3")
        .or(() -> setting("aws.endpointUrl", "AWS_ENDPOINT_URL"))
        .or(this::profileEndpoint);
    return configured.map(value -> parseEndpoint(value));
  }

  private Optional<String> profileEndpoint() {
    String profile = setting("aws.profile", "AWS_PROFILE").orElse("default");
    try {
      return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property("endpoint_url"));
    } catch (RuntimeException unreadable) {
      return Optional.empty(); // the SDK reports a broken profile file itself, with its own words
    }
  }

  private static URI parseEndpoint(String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "the S3 endpoint \"" + value + "\" (from AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or their system"
              + " properties) is not a URL; set it to one such as http://127.0.0.1:9000");
    }
  }

  /** The region from the SDK's default chain (aws.region, AWS_REGION, the profile, instance metadata). */
  Optional<String> region() {
    try {
      Region region = new DefaultAwsRegionProviderChain().getRegion();
      return region == null ? Optional.empty() : Optional.of(region.id());
    } catch (SdkClientException none) {
      return Optional.empty();
    }
  }

  /**
   * Whether an endpoint needs path-style addressing: a bucket cannot be a subdomain of an IP
   * address or of localhost.
   */
  static boolean needsPathStyle(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("localhost")
        || host.endsWith(".localhost")
        || host.startsWith("[")
        || IPV4.matcher(host).matches();
  }
}
