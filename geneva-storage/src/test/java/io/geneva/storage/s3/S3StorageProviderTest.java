package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geneva.ConfigurationException;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code s3://} provider: found by {@link ServiceLoader}, and configured from the usual AWS
 * settings alone (here the SDK's system properties, which it reads before the environment variables
 * of the same names), against a real S3 server on 127.0.0.1.
 */
class S3StorageProviderTest {
  private final Map<String, String> saved = new HashMap<>();

  private void setProperty(String name, String value) {
    saved.putIfAbsent(name, System.getProperty(name));
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @AfterEach
  void restoreProperties() {
    saved.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void serviceLoader_findsTheProviderForS3Roots() {
    List<StorageProvider> providers = ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .toList();

    StorageProvider selected = StorageSelector.select(URI.create("s3://bucket/prefix"), providers);

    assertThat(selected).isInstanceOf(S3StorageProvider.class);
    assertThat(selected.schemes()).containsExactly("s3");
  }

  @Test
  void configuredFromSystemPropertiesAlone_worksWithPathStyleChosenFor127001() throws Exception {
    LocalS3 s3 = LocalS3.get();
    String bucket = s3.newBucket("provider");
    setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    setProperty("aws.region", "us-east-1");
    setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
    setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
    byte[] content = "hello from the provider".getBytes(StandardCharsets.UTF_8);
    ObjectKey key = ObjectKey.forPackage(sha256(content), "jar");

    // Virtual-host addressing would send the request to bucket.127.0.0.1, which does not resolve.
    try (Storage storage = new S3StorageProvider().create(URI.create("s3://" + bucket + "/geneva"))) {
      assertThat(storage.root()).isEqualTo(URI.create("s3://" + bucket + "/geneva/"));
      assertThat(storage.findMissing(Map.of(key, (long) content.length)).keySet()).containsExactly(key);
      storage.put(key, Content.ofBytes(content));
      try (InputStream in = storage.open(key)) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
    }
    assertThat(s3.admin().headObject(b -> b.bucket(bucket).key("geneva/" + key.path())).contentLength())
        .isEqualTo(content.length);
  }

  @Test
  void withAnEndpointButNoRegion_signsForUsEast1() throws IOException {
    assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
        "the environment sets a region");
    LocalS3 s3 = LocalS3.get();
    String bucket = s3.newBucket("noregion");
    setProperty("aws.endpointUrl", s3.endpoint().toString());
    setProperty("aws.region", null);
    setProperty("aws.configFile", "/nonexistent/geneva-test/config");
    setProperty("aws.disableEc2Metadata", "true");
    setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
    setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);

    try (Storage storage = new S3StorageProvider().create(URI.create("s3://" + bucket))) {
      assertThat(storage.list("")).isEmpty();
      assertThat(storage.toString()).contains(s3.endpoint().toString());
    }
  }

  @Test
  void withNeitherRegionNorEndpoint_saysToSetAwsRegion() {
    assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null
        && System.getenv("AWS_ENDPOINT_URL") == null && System.getenv("AWS_ENDPOINT_URL_S3") == null,
        "the environment sets a region or an endpoint");
    setProperty("aws.region", null);
    setProperty("aws.endpointUrl", null);
    setProperty("aws.endpointUrlS3", null);
    setProperty("aws.configFile", "/nonexistent/geneva-test/config");
    setProperty("aws.disableEc2Metadata", "true");

    assertThatThrownBy(() -> new S3StorageProvider().create(URI.create("s3://bucket/prefix")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("s3://bucket/prefix/")
        .hasMessageContaining("set AWS_REGION");
  }

  @Test
  void malformedRoots_areConfigurationErrors() {
    for (String root : List.of("s3:///prefix", "s3:bucket", "s3://bucket:9000/prefix", "s3://bucket/a//b",
        "s3://bucket/a/../b", "s3://bucket/prefix?x=1", "file:///tmp/x")) {
      assertThatThrownBy(() -> S3Storage.builder(URI.create(root)).region("us-east-1").build())
          .as(root)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("storage root");
    }
  }

  @Test
  void rootsWithAndWithoutTrailingSlash_areTheSameRoot() {
    for (String root : List.of("s3://bucket/a/b", "s3://bucket/a/b/", "s3://bucket//a/b")) {
      try (S3Storage storage = S3Storage.builder(URI.create(root)).region("us-east-1")
          .credentials(LocalS3.credentials()).build()) {
        assertThat(storage.root()).isEqualTo(URI.create("s3://bucket/a/b/"));
        assertThat(storage.bucket()).isEqualTo("bucket");
      }
    }
    try (S3Storage storage = S3Storage.builder(URI.create("s3://bucket")).region("us-east-1")
        .credentials(LocalS3.credentials()).build()) {
      assertThat(storage.root()).isEqualTo(URI.create("s3://bucket/"));
      assertThat(storage.uri(ObjectKey.forManifest("0".repeat(64))))
          .isEqualTo(URI.create("s3://bucket/manifests/" + "0".repeat(64) + ".json"));
    }
  }

  @Test
  void pathStyle_isAutomaticForIpAddressesAndLocalhostOnly() {
    assertThat(S3Environment.needsPathStyle(URI.create("http://127.0.0.1:9000"))).isTrue();
    assertThat(S3Environment.needsPathStyle(URI.create("http://[::1]:9000"))).isTrue();
    assertThat(S3Environment.needsPathStyle(URI.create("http://localhost:9000"))).isTrue();
    assertThat(S3Environment.needsPathStyle(URI.create("https://s3.eu-west-1.amazonaws.com"))).isFalse();
    assertThat(S3Environment.needsPathStyle(URI.create("https://minio.example.com"))).isFalse();
  }

  @Test
  void endpoint_isLookedUpTheWayTheSdkDoes() {
    Map<String, String> properties = new HashMap<>();
    Map<String, String> variables = new HashMap<>();
    S3Environment environment = new S3Environment(properties::get, variables::get);

    variables.put("AWS_ENDPOINT_URL", "http://global:1");
    assertThat(environment.endpoint()).contains(URI.create("http://global:1"));
    variables.put("AWS_ENDPOINT_URL_S3", "http://s3-specific:2");
    assertThat(environment.endpoint()).contains(URI.create("http://s3-specific:2"));
    properties.put("aws.endpointUrlS3", "http://property:3");
    assertThat(environment.endpoint()).contains(URI.create("http://property:3"));
    variables.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    assertThat(environment.endpoint()).isEmpty();
  }

  @Test
  void invalidPathStyleSetting_isAConfigurationError() {
    setProperty("geneva.s3.pathStyle", "sometimes");

    assertThatThrownBy(() -> new S3StorageProvider().create(URI.create("s3://bucket/prefix")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("true or false");
  }

  @Test
  void builderOptions_canBeSetOnce() {
    S3Storage.Builder builder = S3Storage.builder(URI.create("s3://bucket")).partSize(6L << 20);

    assertThatThrownBy(() -> builder.partSize(7L << 20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("6291456");
    assertThatThrownBy(() -> S3Storage.builder(URI.create("s3://bucket")).partSize(1L << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 MiB");
  }
}
