package io.geneva.storage.s3;

import io.geneva.ConfigurationException;
import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Storage in an S3 bucket (or an S3-compatible server) under {@code s3://bucket/prefix}: objects are
 * {@code <prefix>/packages/sha256/<aa>/<digest>.jar} and {@code <prefix>/manifests/<digest>.json}.
 *
 * <ul>
 *   <li>{@link #findMissing} lists the packages' names (a page of 1000 answers for many keys) and
 *       HEADs only what the listing did not reach, in parallel.
 *   <li>{@link #put} verifies the content against its declared size and SHA-256 as it streams it,
 *       sends a SHA-256 checksum S3 checks, uses a multipart upload above {@link
 *       Builder#multipartThreshold(long)} with parts in parallel, and never leaves a partial object
 *       under the key. Packages are created with {@code If-None-Match: *}, so concurrent writers of
 *       one package both succeed.
 *   <li>{@link #open} reads large objects as parallel ranged GETs and checks a package's bytes
 *       against the digest in its name.
 * </ul>
 *
 * <p>Configuration is the AWS SDK's: the default credentials provider chain, the default region
 * chain, and the endpoint from {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL} (or {@code
 * aws.endpointUrlS3} / {@code aws.endpointUrl}); each can be overridden on the {@link Builder}.
 *
 * <p>Thread-safe. The storage creates and owns its S3 client, HTTP connection pool and threads, and
 * releases them in {@link #close()}, which is idempotent.
 */
public final class S3Storage implements Storage {
  /** The smallest part S3 accepts (but for the last). */
  public static final long MIN_PART_SIZE = 5L << 20;

  private static final long DEFAULT_PART_SIZE = 8L << 20;
  private static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
  private static final int DEFAULT_CONCURRENCY = 8;
  private static final int DEFAULT_MAX_ATTEMPTS = 5;
  private static final int MAX_LIST_PAGE = 1000;

  private final S3Context s3;
  private final Uploader uploader;
  private final MissingFinder finder;
  private final @Nullable AwsCredentialsProvider ownedCredentials;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3Storage(S3Context s3, @Nullable AwsCredentialsProvider ownedCredentials) {
    this.s3 = s3;
    this.uploader = new Uploader(s3);
    this.finder = new MissingFinder(s3);
    this.ownedCredentials = ownedCredentials;
  }

  /**
   * A builder for storage under a root {@code s3://bucket} or {@code s3://bucket/prefix}.
   *
   * @throws NullPointerException if the root is null (the root is checked by {@link Builder#build()})
   */
  public static Builder builder(URI root) {
    return new Builder(Objects.requireNonNull(root, "root"));
  }

  /** The bucket. */
  public String bucket() {
    return s3.bucket();
  }

  /** The canonical root, {@code s3://bucket/prefix/} (always ending in '/'). */
  @Override
  public URI root() {
    return s3.root.uri();
  }

  @Override
  public Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    ensureOpen();
    if (expectedSizes.isEmpty()) {
      return Map.of();
    }
    return finder.findMissing(expectedSizes);
  }

  @Override
  public void put(ObjectKey key, Content content) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(content, "content");
    Optional<String> named = key.digest();
    if (named.isPresent() && !named.get().equals(content.sha256())) {
      throw new IntegrityException("content " + content + " declares sha256 " + content.sha256() + " but key "
          + key + " names " + named.get() + "; it does not belong under that key, so nothing was stored");
    }
    put(key, content, named.map(Checksums::base64OfHex).orElse(null));
  }

  /**
   * Writes an object declaring this checksum to S3 (a seam for tests: the server's own check of a
   * wrong checksum can only be seen by sending one).
   */
  void put(ObjectKey key, Content content, @Nullable String checksumBase64) {
    ensureOpen();
    uploader.put(key, content, checksumBase64);
  }

  /** Whether packages are still created conditionally (false once the server rejected it). */
  boolean conditionalWrites() {
    return uploader.conditionalWrites();
  }

  @Override
  public InputStream open(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return RangedObjectStream.open(s3, key);
  }

  @Override
  public Optional<StoredObject> stat(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return s3.head(s3.root.name(key))
        .map(h -> new StoredObject(key, h.contentLength(), h.lastModified() == null ? Instant.EPOCH : h.lastModified()));
  }

  @Override
  public List<StoredObject> list(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    ensureOpen();
    String listPrefix = s3.root.name(prefix);
    List<StoredObject> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response response = s3.listPage(listPrefix, null, token);
      for (S3Object o : response.contents()) {
        s3.root.key(o.key()).ifPresent(key -> out.add(new StoredObject(
            key, o.size(), o.lastModified() == null ? Instant.EPOCH : o.lastModified())));
      }
      token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
    } while (token != null);
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  @Override
  public void delete(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    String name = s3.root.name(key);
    try {
      s3.client.deleteObject(b -> b.bucket(s3.bucket()).key(name));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && "NoSuchKey".equals(S3Failures.code(e).orElse("NoSuchKey"))) {
        return; // S3 answers 204 for an absent key; some compatible servers say 404
      }
      throw s3.failures.of("delete", name, e);
    } catch (SdkException e) {
      throw s3.failures.of("delete", name, e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      s3.executor.shutdownNow();
      s3.client.close();
      if (ownedCredentials instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // nothing left to release that matters; the provider holds no resource of the caller's
        }
      }
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("storage " + root() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "S3Storage[" + root() + " at " + s3.failures.endpoint() + "]";
  }

  /**
   * Configures an {@link S3Storage}. Every option has a default from the AWS SDK's usual
   * configuration (or a fixed default, as stated), and each may be set once: a second call is an
   * {@link IllegalStateException}. Mutable and not thread-safe; {@link #build()} does not change it.
   */
  public static final class Builder {
    private final URI root;
    private @Nullable URI endpoint;
    private @Nullable String region;
    private @Nullable AwsCredentialsProvider credentials;
    private @Nullable Boolean pathStyle;
    private @Nullable Long partSize;
    private @Nullable Long multipartThreshold;
    private @Nullable Integer uploadConcurrency;
    private @Nullable Integer maxAttempts;
    // Test seams, package-private.
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
    private int listPageSize = MAX_LIST_PAGE;
    private @Nullable Duration retryBackoff;
    private S3Environment environment = S3Environment.system();

    private Builder(URI root) {
      this.root = root;
    }

    private static void once(@Nullable Object current, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }

    /**
     * The S3 endpoint, for an S3-compatible server such as {@code http://127.0.0.1:9000}. Default:
     * the SDK's ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}, their system properties, the
     * profile's {@code endpoint_url}, else AWS's endpoint for the region).
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      once(this.endpoint, "endpoint");
      if (endpoint.getScheme() == null || endpoint.getHost() == null) {
        throw new IllegalArgumentException("endpoint " + endpoint + " is not an http(s) URL with a host");
      }
      this.endpoint = endpoint;
      return this;
    }

    /**
     * The region to sign for, such as {@code eu-west-1}. Default: the SDK's region chain ({@code
     * aws.region}, {@code AWS_REGION}, the profile, instance metadata); if it finds none and an
     * endpoint is set, {@code us-east-1} (S3-compatible servers accept any).
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      once(this.region, "region");
      if (region.isBlank()) {
        throw new IllegalArgumentException("region is blank");
      }
      this.region = region;
      return this;
    }

    /**
     * Where credentials come from. Default: the SDK's default chain (system properties, {@code
     * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, web identity, {@code AWS_PROFILE}, container
     * and instance roles). A provider passed here is not closed by the storage.
     */
    public Builder credentials(AwsCredentialsProvider credentials) {
      Objects.requireNonNull(credentials, "credentials");
      once(this.credentials, "credentials");
      this.credentials = credentials;
      return this;
    }

    /**
     * Whether to address the bucket in the path ({@code http://host/bucket/key}) instead of the host
     * name. Default: true when the endpoint's host is an IP address or {@code localhost}, else false.
     */
    public Builder pathStyle(boolean pathStyle) {
      once(this.pathStyle, "pathStyle");
      this.pathStyle = pathStyle;
      return this;
    }

    /**
     * The size of each part of a multipart upload and of each ranged GET, in bytes. Default 8 MiB;
     * at least {@link #MIN_PART_SIZE} (5 MiB). Up to {@code uploadConcurrency} parts are held in
     * memory at once.
     */
    public Builder partSize(long bytes) {
      once(this.partSize, "partSize");
      if (bytes < MIN_PART_SIZE || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "partSize " + bytes + " is not between 5 MiB (" + MIN_PART_SIZE + ") and 2 GiB");
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Objects larger than this many bytes are uploaded in parts. Default 64 MiB: below that, parallel
     * uploads of whole objects keep the connections busy more cheaply than parts of one.
     */
    public Builder multipartThreshold(long bytes) {
      once(this.multipartThreshold, "multipartThreshold");
      if (bytes < 1) {
        throw new IllegalArgumentException("multipartThreshold " + bytes + " is not positive");
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /**
     * How many requests one operation runs in parallel: parts of an upload, ranges of a read ahead of
     * the reader, HEADs of {@code findMissing}. Default 8.
     */
    public Builder uploadConcurrency(int requests) {
      once(this.uploadConcurrency, "uploadConcurrency");
      if (requests < 1 || requests > 1024) {
        throw new IllegalArgumentException("uploadConcurrency " + requests + " is not between 1 and 1024");
      }
      this.uploadConcurrency = requests;
      return this;
    }

    /**
     * Attempts per request, the first included, for throttling, server errors and broken
     * connections, with exponential backoff and jitter (the SDK's standard strategy). Default 5.
     */
    public Builder maxAttempts(int attempts) {
      once(this.maxAttempts, "maxAttempts");
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts " + attempts + " is less than 1");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Adds an interceptor to the client (tests count and fault requests with it). */
    Builder addInterceptor(ExecutionInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Names per listing page (S3's maximum and the default is 1000). */
    Builder listPageSize(int names) {
      if (names < 1 || names > MAX_LIST_PAGE) {
        throw new IllegalArgumentException("listPageSize " + names + " is not between 1 and 1000");
      }
      this.listPageSize = names;
      return this;
    }

    /** The base delay of the retry backoff, so that tests of retries do not wait for real. */
    Builder retryBackoff(Duration base) {
      this.retryBackoff = Objects.requireNonNull(base, "base");
      return this;
    }

    /** Where the endpoint and region are looked up when not set. */
    Builder environment(S3Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Creates the storage, with its own S3 client. Nothing is sent to S3 yet: a missing bucket or
     * wrong credentials show on the first operation, as a {@link StorageException} that says so.
     *
     * @throws ConfigurationException if the root is not {@code s3://bucket[/prefix]}, or no region
     *     is configured and no endpoint is set
     */
    public S3Storage build() {
      S3Root parsed = S3Root.parse(root);
      Optional<URI> configuredEndpoint = endpoint != null ? Optional.of(endpoint) : environment.endpoint();
      String resolvedRegion = region != null ? region : environment.region().orElse(null);
      if (resolvedRegion == null) {
        if (configuredEndpoint.isEmpty()) {
          throw new ConfigurationException("no AWS region is configured for storage root " + parsed.uri()
              + "; set AWS_REGION (or the aws.region system property, or region in the AWS_PROFILE's"
              + " ~/.aws/config section) to the bucket's region");
        }
        resolvedRegion = "us-east-1"; // S3-compatible servers accept any region in the signature
      }
      boolean usePathStyle = pathStyle != null
          ? pathStyle
          : configuredEndpoint.map(S3Environment::needsPathStyle).orElse(false);
      long part = partSize != null ? partSize : DEFAULT_PART_SIZE;
      long threshold = multipartThreshold != null ? multipartThreshold : DEFAULT_MULTIPART_THRESHOLD;
      int concurrency = uploadConcurrency != null ? uploadConcurrency : DEFAULT_CONCURRENCY;
      int attempts = maxAttempts != null ? maxAttempts : DEFAULT_MAX_ATTEMPTS;

      DefaultCredentialsProvider owned = credentials == null ? DefaultCredentialsProvider.builder().build() : null;
      S3Client client;
      try {
        client = client(resolvedRegion, usePathStyle, concurrency, attempts,
            credentials != null ? credentials : Objects.requireNonNull(owned));
      } catch (RuntimeException e) {
        if (owned != null) {
          owned.close();
        }
        throw e;
      }
      String endpointName = configuredEndpoint.map(URI::toString)
          .orElse("https://s3." + resolvedRegion + ".amazonaws.com");
      S3Failures failures = new S3Failures(parsed, endpointName, resolvedRegion);
      S3Context context = new S3Context(client, parsed, failures, executor(parsed, concurrency), part, threshold,
          concurrency, listPageSize);
      return new S3Storage(context, owned);
    }

    private S3Client client(
        String region, boolean pathStyle, int concurrency, int attempts, AwsCredentialsProvider provider) {
      StandardRetryStrategy.Builder retry = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts);
      if (retryBackoff != null) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(retryBackoff, retryBackoff.multipliedBy(8));
        retry.backoffStrategy(backoff).throttlingBackoffStrategy(backoff);
      }
      StandardRetryStrategy strategy = retry.build();
      S3ClientBuilder builder = S3Client.builder()
          .httpClientBuilder(Apache5HttpClient.builder().maxConnections(Math.max(50, 4 * concurrency)))
          .region(Region.of(region))
          .credentialsProvider(provider)
          .putAuthScheme(DeclaredChecksumSigner.scheme())
          .forcePathStyle(pathStyle)
          // Geneva declares SHA-256 on uploads and verifies reads itself; no CRC32 on every request.
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .overrideConfiguration(o -> {
            o.retryStrategy(strategy);
            interceptors.forEach(o::addExecutionInterceptor);
          });
      if (endpoint != null) {
        builder.endpointOverride(endpoint); // one from the environment, the SDK finds by itself
      }
      return builder.build();
    }

    private static ThreadPoolExecutor executor(S3Root root, int threads) {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "geneva-s3-" + root.bucket() + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }
  }
}
