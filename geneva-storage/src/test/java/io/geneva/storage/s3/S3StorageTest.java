package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What the S3 storage does beyond the storage contract, against a real S3 server (S3Proxy, which
 * checks signatures and checksums): multipart and ranged transfers, integrity on both directions,
 * conditional creates by concurrent writers, request counts of {@code findMissing}, and the errors a
 * user sees for wrong credentials, a missing bucket, throttling and an unreachable endpoint.
 */
class S3StorageTest {
  private static final long MIB = 1L << 20;

  @TempDir Path tempDir;

  private final LocalS3 s3 = LocalS3.get();
  private final RequestRecorder recorder = new RequestRecorder();
  private final List<S3Storage> storages = new ArrayList<>();

  @AfterEach
  void closeStorages() {
    storages.forEach(S3Storage::close);
  }

  private S3Storage open(S3Storage.Builder builder) {
    S3Storage storage = builder.build();
    storages.add(storage);
    return storage;
  }

  /** Storage with 5 MiB parts, multipart above 6 MiB, recording its requests. */
  private S3Storage newStorage(String bucket) {
    return open(s3.storage(bucket, "root").partSize(5 * MIB).multipartThreshold(6 * MIB).addInterceptor(recorder));
  }

  private static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Content content(byte[] bytes) {
    return Content.ofBytes(bytes);
  }

  private static ObjectKey packageKey(byte[] bytes) {
    return ObjectKey.forPackage(sha256(bytes), "jar");
  }

  private static byte[] readAll(S3Storage storage, ObjectKey key) {
    try (InputStream in = storage.open(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Multipart upload and ranged reads
  // ---------------------------------------------------------------------------------------------

  @Test
  void largeFile_isUploadedInPartsWithChecksums_andReadBackWithRangedGets() throws IOException {
    byte[] content = bytes(1, (int) (12 * MIB));
    Path file = Files.write(tempDir.resolve("big.jar"), content);
    String bucket = s3.newBucket("multipart");
    S3Storage storage = newStorage(bucket);
    ObjectKey key = packageKey(content);

    storage.put(key, Content.ofFile(file, content.length, sha256(content)));

    assertThat(recorder.matching(e -> e.is("POST", "uploads"))).hasSize(1);
    assertThat(recorder.matching(e -> e.is("PUT", "partNumber"))).hasSize(3).allMatch(e -> e.status() == 200);
    assertThat(recorder.matching(e -> e.is("POST", "uploadId")))
        .singleElement()
        .satisfies(e -> assertThat(e.ifNoneMatch()).as("conditional create").isTrue());
    HeadObjectResponse head = s3.admin().headObject(
        b -> b.bucket(bucket).key("root/" + key.path()).checksumMode(ChecksumMode.ENABLED));
    assertThat(head.contentLength()).isEqualTo(content.length);
    assertThat(head.checksumSHA256()).as("composite SHA-256 of the parts' checksums").endsWith("-3");

    recorder.clear();
    byte[] read = readAll(storage, key);

    assertThat(sha256(read)).isEqualTo(sha256(content));
    assertThat(recorder.exchanges()).allMatch(e -> e.method().equals("GET"));
    assertThat(recorder.exchanges()).extracting(e -> e.range().orElse("none"))
        .containsExactlyInAnyOrder("bytes=0-5242879", "bytes=5242880-10485759", "bytes=10485760-12582911");
  }

  @Test
  void smallObject_isOnePutAndOneGet() {
    S3Storage storage = newStorage(s3.newBucket("small"));
    byte[] content = bytes(2, 1000);

    storage.put(packageKey(content), content(content));
    assertThat(readAll(storage, packageKey(content))).isEqualTo(content);

    assertThat(recorder.exchanges()).extracting(RequestRecorder.Exchange::method).containsExactly("PUT", "GET");
  }

  @Test
  void uploadsOverHttp_signTheDeclaredChecksum_insteadOfHashingTheBodyAgain() throws IOException {
    byte[] small = bytes(3, 1000);
    byte[] large = bytes(4, (int) (7 * MIB));
    Path file = Files.write(tempDir.resolve("large.jar"), large);
    S3Storage storage = newStorage(s3.newBucket("signing"));

    storage.put(packageKey(small), content(small));
    storage.put(packageKey(large), Content.ofFile(file, large.length, sha256(large)));

    List<RequestRecorder.Exchange> uploads = recorder.matching(e -> e.method().equals("PUT"));
    assertThat(uploads).hasSize(3).allSatisfy(e -> {
      assertThat(e.payloadHash()).as("body hashed once, by the checksum").isEqualTo("UNSIGNED-PAYLOAD");
      assertThat(e.signedHeaders()).as("the checksum the server checks the body against is signed")
          .contains("x-amz-checksum-sha256", "content-length", "host");
      assertThat(e.status()).isEqualTo(200);
    });
    assertThat(recorder.matching(e -> e.is("POST", "uploadId"))).singleElement()
        .satisfies(e -> assertThat(e.payloadHash()).as("a body without a declared checksum is signed as usual")
            .matches("[0-9a-f]{64}"));
    assertThat(readAll(storage, packageKey(large))).isEqualTo(large);
  }

  // ---------------------------------------------------------------------------------------------
  // Integrity
  // ---------------------------------------------------------------------------------------------

  @Test
  void open_ofACorruptPackage_throwsIntegrityExceptionNamingTheKey() {
    String bucket = s3.newBucket("corrupt");
    S3Storage storage = newStorage(bucket);
    byte[] good = bytes(3, 5000);
    byte[] bad = bytes(4, 5000);
    ObjectKey key = packageKey(good);
    s3.admin().putObject(b -> b.bucket(bucket).key("root/" + key.path()), RequestBody.fromBytes(bad));

    assertThatThrownBy(() -> readAll(storage, key))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining(storage.root().toString())
        .hasMessageContaining(sha256(bad));
  }

  @Test
  void open_ofALargeCorruptPackage_failsBeforeItsLastRangeIsServed() throws IOException {
    String bucket = s3.newBucket("corrupt-large");
    S3Storage storage = newStorage(bucket);
    byte[] good = bytes(5, (int) (11 * MIB));
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    ObjectKey key = packageKey(good);
    s3.admin().putObject(b -> b.bucket(bucket).key("root/" + key.path()), RequestBody.fromBytes(bad));

    try (InputStream in = storage.open(key)) {
      byte[] firstRanges = in.readNBytes((int) (10 * MIB));
      assertThat(firstRanges).hasSize((int) (10 * MIB));
      assertThatThrownBy(in::read).isInstanceOf(IntegrityException.class).hasMessageContaining(key.path());
      assertThatThrownBy(in::read).as("and again").isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void put_withAWrongChecksum_isRefusedByTheServer_andLeavesNothing() {
    S3Storage storage = newStorage(s3.newBucket("badsum"));
    byte[] content = bytes(6, 3000);
    ObjectKey key = packageKey(content);
    String wrong = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(bytes(7, 10))));

    assertThatThrownBy(() -> storage.put(key, content(content), wrong))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining("400 BadDigest");

    assertThat(recorder.matching(e -> e.is("PUT", null))).singleElement()
        .satisfies(e -> assertThat(e.status()).as("S3Proxy checked x-amz-checksum-sha256").isEqualTo(400));
    assertThat(storage.stat(key)).isEmpty();
    assertThat(storage.list("")).isEmpty();
  }

  @Test
  void put_ofAFileThatChangedSinceItWasHashed_isRefusedByTheServer_andLeavesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    S3Storage storage = newStorage(s3.newBucket("changed"));
    byte[] hashed = bytes(10, 3000);
    java.nio.file.Path file = dir.resolve("dep.jar");
    byte[] now = hashed.clone();
    now[1500] ^= 1; // same size, other bytes: the file was rewritten after it was fingerprinted
    java.nio.file.Files.write(file, now);
    ObjectKey key = packageKey(hashed);

    assertThatThrownBy(() -> storage.put(key, Content.ofFile(file, hashed.length, sha256(hashed))))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining("BadDigest");
    assertThat(storage.stat(key)).isEmpty();
  }

  @Test
  void put_underAKeyNamingAnotherDigest_isRefusedBeforeAnythingIsSent() {
    S3Storage storage = newStorage(s3.newBucket("wrongkey"));
    byte[] content = bytes(8, 3000);
    ObjectKey otherKey = packageKey(bytes(9, 3000));

    assertThatThrownBy(() -> storage.put(otherKey, content(content)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(otherKey.path());

    assertThat(recorder.attempts()).isZero();
    assertThat(storage.stat(otherKey)).isEmpty();
  }

  @Test
  void multipartPut_ofContentThatChangedUnderneath_isAborted_andLeavesNothing() throws IOException {
    String bucket = s3.newBucket("changed");
    S3Storage storage = newStorage(bucket);
    byte[] declared = bytes(10, (int) (7 * MIB));
    byte[] actual = declared.clone();
    actual[100] ^= 1;
    Path file = Files.write(tempDir.resolve("changing.jar"), actual);
    ObjectKey key = packageKey(declared);

    assertThatThrownBy(() -> storage.put(key, Content.ofFile(file, declared.length, sha256(declared))))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path());

    assertThat(recorder.matching(e -> e.is("POST", "uploadId"))).as("never completed").isEmpty();
    assertThat(recorder.matching(e -> e.is("DELETE", "uploadId"))).as("aborted").hasSize(1);
    assertThat(s3.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    assertThat(storage.stat(key)).isEmpty();
  }

  @Test
  void put_overACorruptObjectOfTheSameSize_repairsIt() {
    String bucket = s3.newBucket("repair");
    S3Storage storage = newStorage(bucket);
    byte[] good = bytes(13, 4000);
    ObjectKey key = packageKey(good);
    for (boolean withSha256 : List.of(false, true)) {
      byte[] bad = bytes(withSha256 ? 14 : 15, 4000);
      s3.admin().putObject(b -> {
        b.bucket(bucket).key("root/" + key.path());
        if (withSha256) {
          b.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256);
        }
      }, RequestBody.fromBytes(bad));
      recorder.clear();

      storage.put(key, content(good));

      // The conditional create was refused (412); the stored object could not be confirmed, so it
      // was written again.
      assertThat(recorder.matching(e -> e.is("PUT", null))).extracting(RequestRecorder.Exchange::status)
          .as("with a stored SHA-256: %s", withSha256)
          .containsExactly(412, 200);
      assertThat(readAll(storage, key)).isEqualTo(good);
      storage.delete(key);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrent writers
  // ---------------------------------------------------------------------------------------------

  @Test
  @Timeout(60)
  void concurrentWritersOfAPackage_allSucceed_oneCreatesIt_andItIsIntact() throws Exception {
    String bucket = s3.newBucket("concurrent");
    S3Storage first = newStorage(bucket);
    S3Storage second = newStorage(bucket);
    byte[] small = bytes(11, 200_000);
    byte[] large = bytes(12, (int) (7 * MIB));
    int writersPerStorage = 3;
    CyclicBarrier start = new CyclicBarrier(4 * writersPerStorage);
    ExecutorService threads = Executors.newFixedThreadPool(4 * writersPerStorage);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (S3Storage storage : List.of(first, second)) {
        for (byte[] content : List.of(small, large)) {
          for (int i = 0; i < writersPerStorage; i++) {
            puts.add(threads.submit(() -> {
              start.await(30, TimeUnit.SECONDS);
              storage.put(packageKey(content), content(content));
              return null;
            }));
          }
        }
      }
      for (Future<?> put : puts) {
        put.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    for (byte[] content : List.of(small, large)) {
      assertThat(sha256(readAll(second, packageKey(content)))).isEqualTo(sha256(content));
    }
    assertThat(first.list(ObjectKey.PACKAGES)).extracting(StoredObject::key)
        .containsExactlyInAnyOrder(packageKey(small), packageKey(large));
    // Exactly one writer of each package created it; the others were told it exists (412).
    assertThat(recorder.matching(e -> e.is("PUT", null) && e.status() == 200)).hasSize(1);
    assertThat(recorder.matching(e -> e.is("POST", "uploadId") && e.status() == 200)).hasSize(1);
    assertThat(recorder.matching(e -> e.status() == 412)).hasSize(4 * writersPerStorage - 2);
  }

  // ---------------------------------------------------------------------------------------------
  // findMissing
  // ---------------------------------------------------------------------------------------------

  @Test
  void findMissing_ofA200KeyBatch_takesOneListing_andFindsMissingAndWrongSized() {
    S3Storage storage = newStorage(s3.newBucket("find"));
    List<ObjectKey> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] b = bytes(100 + i, 100 + i);
      storage.put(packageKey(b), content(b));
      stored.add(packageKey(b));
    }
    Map<ObjectKey, Long> batch = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      batch.put(stored.get(i), 100L + i);
    }
    ObjectKey wrongSize = stored.get(4);
    batch.put(wrongSize, 999L);
    List<ObjectKey> absent = new ArrayList<>();
    for (int i = 0; batch.size() < 200; i++) {
      ObjectKey key = packageKey(bytes(1000 + i, 10));
      absent.add(key);
      batch.put(key, 10L);
    }
    recorder.clear();

    Map<ObjectKey, java.util.OptionalLong> missing = storage.findMissing(batch);

    assertThat(missing.keySet()).containsExactlyInAnyOrderElementsOf(concat(absent, wrongSize));
    assertThat(missing.get(wrongSize)).as("the size the listing saw").hasValue(104);
    assertThat(absent).allSatisfy(k -> assertThat(missing.get(k)).isEmpty());

    assertThat(recorder.attempts()).as("requests for a 200-key batch").isLessThanOrEqualTo(3);
    assertThat(recorder.exchanges()).extracting(RequestRecorder.Exchange::method).containsExactly("GET");
  }

  @Test
  void findMissing_headsManifests_andWhatTheListingBudgetDidNotReach() {
    S3Storage storage = open(s3.storage(s3.newBucket("budget"), "root").addInterceptor(recorder).listPageSize(2));
    Map<ObjectKey, Long> batch = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      byte[] b = bytes(200 + i, 50);
      storage.put(packageKey(b), content(b));
      batch.put(packageKey(b), 50L);
    }
    List<ObjectKey> absent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      absent.add(packageKey(bytes(300 + i, 50)));
    }
    absent.forEach(k -> batch.put(k, 50L));
    byte[] json = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ObjectKey manifest = ObjectKey.forManifest(sha256(json));
    storage.put(manifest, content(json));
    batch.put(manifest, (long) json.length);
    recorder.clear();

    assertThat(storage.findMissing(batch).keySet()).containsExactlyInAnyOrderElementsOf(absent);

    // 13 keys: a budget of one page of 2 names, then HEADs for the rest, the manifest among them.
    assertThat(recorder.matching(e -> e.method().equals("GET"))).hasSize(1);
    assertThat(recorder.matching(e -> e.method().equals("HEAD"))).hasSizeGreaterThanOrEqualTo(1)
        .anyMatch(e -> e.path().endsWith(manifest.path()));
  }

  private static List<ObjectKey> concat(List<ObjectKey> keys, ObjectKey one) {
    List<ObjectKey> all = new ArrayList<>(keys);
    all.add(one);
    return all;
  }

  // ---------------------------------------------------------------------------------------------
  // Conditional creates on servers without them
  // ---------------------------------------------------------------------------------------------

  @Test
  void serverWithoutConditionalWrites_getsPlainPuts_fromThenOn() {
    FaultInjector faults = new FaultInjector()
        .inject(FaultInjector.withHeader("If-None-Match"), 1, 501, "NotImplemented", Map.of());
    S3Storage storage = open(s3.storage(s3.newBucket("noconditional"), "root").addInterceptor(recorder)
        .addInterceptor(faults));
    byte[] a = bytes(20, 1000);
    byte[] b = bytes(21, 1000);

    storage.put(packageKey(a), content(a));
    storage.put(packageKey(b), content(b));

    assertThat(faults.injected()).isEqualTo(1);
    assertThat(storage.conditionalWrites()).isFalse();
    assertThat(recorder.matching(e -> e.is("PUT", null))).extracting(RequestRecorder.Exchange::ifNoneMatch)
        .containsExactly(true, false, false);
    assertThat(readAll(storage, packageKey(a))).isEqualTo(a);
    assertThat(readAll(storage, packageKey(b))).isEqualTo(b);
  }

  @Test
  void manifest_isAlwaysWrittenAgain_soItsAgeIsRenewed() {
    S3Storage storage = newStorage(s3.newBucket("manifest"));
    byte[] json = "{\"formatVersion\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ObjectKey key = ObjectKey.forManifest(sha256(json));

    storage.put(key, content(json));
    storage.put(key, content(json));

    assertThat(recorder.matching(e -> e.is("PUT", null)))
        .hasSize(2)
        .allSatisfy(e -> {
          assertThat(e.ifNoneMatch()).isFalse();
          assertThat(e.status()).isEqualTo(200);
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Failures a user sees
  // ---------------------------------------------------------------------------------------------

  @Test
  void wrongCredentials_failAtOnce_notRetryable_namingTheBucket_withoutTheSecret() {
    String bucket = s3.newBucket("creds");
    String wrongSecret = "wrong-secret-Zq8Xv3Lm0Pq";
    S3Storage storage = open(S3Storage.builder(URI.create("s3://" + bucket + "/root"))
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3.ACCESS_KEY, wrongSecret)))
        .addInterceptor(recorder));
    byte[] content = bytes(30, 100);
    ObjectKey key = packageKey(content);

    for (Runnable operation : List.<Runnable>of(
        () -> storage.findMissing(Map.of(key, 100L)),
        () -> storage.put(key, content(content)),
        () -> storage.open(key),
        () -> storage.stat(key))) {
      recorder.clear();
      assertThatThrownBy(operation::run)
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains(bucket).contains("check the AWS credentials").contains("403");
            assertThat(stackTrace(e)).doesNotContain(wrongSecret).doesNotContain(LocalS3.SECRET_KEY);
          });
      // Not retried once the server said 403. (A request whose connection broke before any answer,
      // as a server closing it early while a body is still being sent can cause, is retried.)
      assertThat(recorder.exchanges()).as("answers").singleElement()
          .satisfies(x -> assertThat(x.status()).isEqualTo(403));
    }
  }

  @Test
  void missingBucket_isAClearNonRetryableError() {
    S3Storage storage = newStorage("no-such-bucket-here");
    byte[] content = bytes(31, 100);
    ObjectKey key = packageKey(content);

    for (Runnable operation : List.<Runnable>of(
        () -> storage.findMissing(Map.of(key, 100L)),
        () -> storage.put(key, content(content)),
        () -> storage.open(key),
        () -> storage.list(ObjectKey.MANIFESTS))) {
      assertThatThrownBy(operation::run)
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("bucket no-such-bucket-here does not exist at " + s3.endpoint())
          .hasMessageContaining("create it or fix the storage root s3://no-such-bucket-here/root/");
    }
  }

  @Test
  void throttling_isRetried_andAPutWhoseResponseWasLost_isConfirmed() {
    FaultInjector faults = new FaultInjector()
        .inject(FaultInjector.method("PUT"), 2, 503, "SlowDown", Map.of());
    S3Storage storage = open(s3.storage(s3.newBucket("throttled"), "root").addInterceptor(recorder)
        .addInterceptor(faults));
    byte[] content = bytes(32, 5000);

    storage.put(packageKey(content), content(content));

    // The first PUT stored the object but its client saw 503; the retries found it there (412) and
    // a HEAD confirmed its checksum.
    assertThat(faults.injected()).isEqualTo(2);
    assertThat(recorder.matching(e -> e.is("PUT", null))).extracting(RequestRecorder.Exchange::status)
        .containsExactly(200, 412, 412);
    assertThat(recorder.matching(e -> e.method().equals("HEAD"))).hasSize(1);
    assertThat(readAll(storage, packageKey(content))).isEqualTo(content);
  }

  @Test
  void persistentServerErrors_giveUpAfterMaxAttempts_asRetryable() {
    FaultInjector faults = new FaultInjector()
        .inject(FaultInjector.method("GET"), 100, 503, "SlowDown", Map.of());
    S3Storage storage = open(s3.storage(s3.newBucket("unavailable"), "root").maxAttempts(3)
        .addInterceptor(recorder).addInterceptor(faults));
    ObjectKey key = packageKey(bytes(33, 10));

    assertThatThrownBy(() -> storage.findMissing(Map.of(key, 10L)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("503 SlowDown")
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("try again later");
    assertThat(recorder.attempts()).isEqualTo(3);
  }

  @Test
  void wrongRegion_saysWhichRegionTheBucketIsIn() {
    FaultInjector faults = new FaultInjector().inject(
        r -> true, 1, 301, "PermanentRedirect", Map.of("x-amz-bucket-region", "eu-west-1"));
    String bucket = s3.newBucket("region");
    S3Storage storage = open(s3.storage(bucket, "root").addInterceptor(faults));

    assertThatThrownBy(() -> storage.list(ObjectKey.MANIFESTS))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("bucket " + bucket)
        .hasMessageContaining("set AWS_REGION=eu-west-1");
  }

  @Test
  void unreachableEndpoint_isRetryable_andNamesTheEndpoint() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    S3Storage storage = open(S3Storage.builder(URI.create("s3://bucket/root"))
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(LocalS3.credentials())
        .maxAttempts(2)
        .retryBackoff(java.time.Duration.ofMillis(1))
        .addInterceptor(recorder));

    assertThatThrownBy(() -> storage.stat(packageKey(bytes(34, 10))))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("cannot reach S3 at " + endpoint)
        .hasMessageContaining("s3://bucket/root/packages/");
    assertThat(recorder.attempts()).isEqualTo(2);
  }

  @Test
  void open_ofAnEmptyObject_returnsNoBytes() {
    S3Storage storage = newStorage(s3.newBucket("empty"));
    ObjectKey key = packageKey(new byte[0]);
    storage.put(key, content(new byte[0]));

    assertThat(readAll(storage, key)).isEmpty();
  }

  @Test
  void deletedObject_isGoneForTheRawClientToo() {
    String bucket = s3.newBucket("delete");
    S3Storage storage = newStorage(bucket);
    byte[] content = bytes(35, 10);
    storage.put(packageKey(content), content(content));

    storage.delete(packageKey(content));

    assertThatThrownBy(() -> s3.admin().headObject(b -> b.bucket(bucket).key("root/" + packageKey(content).path())))
        .isInstanceOf(NoSuchKeyException.class);
  }
}
