package io.geneva.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One real S3 server for the whole test run: S3Proxy on loopback with an in-memory blob store,
 * checking signatures for real. Started once (about a second) and shared; every test makes its own
 * bucket, so tests do not see each other's objects. S3Proxy's own JUnit extension would start and
 * stop a server around every test instead.
 */
final class LocalS3 {
  static final String ACCESS_KEY = "geneva-test-access";
  static final String SECRET_KEY = "geneva-test-secret-2f9c1b7e";

  private static LocalS3 instance;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final URI endpoint;
  private final S3Client admin;

  @SuppressWarnings("deprecation") // the HTTP client the storage uses too; see S3Storage.Builder
  private LocalS3(URI endpoint) {
    this.endpoint = endpoint;
    this.admin = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials())
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  /** The shared server, started on first use. */
  static synchronized LocalS3 get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static LocalS3 start() {
    S3Proxy proxy = startServer("transient", new Properties(), ACCESS_KEY, SECRET_KEY);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // the JVM is exiting
      }
    }));
    return new LocalS3(URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  /**
   * Starts an S3Proxy on a loopback port over a jclouds blob store ({@code transient} in memory, or
   * {@code filesystem} with {@code jclouds.filesystem.basedir} in {@code properties}), checking
   * SigV4 signatures with these credentials, and waits until it serves.
   */
  static S3Proxy startServer(String blobStore, Properties properties, String access, String secret) {
    try {
      properties.setProperty("jclouds.identity", access);
      properties.setProperty("jclouds.credential", secret);
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(BlobStores.create(blobStore, properties))
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, access, secret)
          // The SDK's multipart uploads send headers S3Proxy does not know.
          .ignoreUnknownHeaders(true)
          .build();
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.onSpinWait();
      }
      return proxy;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  URI endpoint() {
    return endpoint;
  }

  /** A raw client, for arranging what storage holds behind the storage's back. */
  S3Client admin() {
    return admin;
  }

  /** Creates a new, empty bucket. */
  String newBucket(String hint) {
    String bucket = (hint + "-" + BUCKETS.incrementAndGet()).toLowerCase(Locale.ROOT);
    admin.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** A builder for storage in this bucket under this prefix, on this server, retrying without waiting. */
  S3Storage.Builder storage(String bucket, String prefix) {
    return S3Storage.builder(URI.create("s3://" + bucket + "/" + prefix))
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(credentials())
        .retryBackoff(Duration.ofMillis(1));
  }
}
