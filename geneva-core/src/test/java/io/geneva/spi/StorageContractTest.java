package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Storage} must keep, as documented on {@link Storage}. Geneva's own file
 * storage runs it ({@code io.geneva.internal.storage.FileStorageContractTest}), so does the S3 storage, and so
 * should yours.
 *
 * <h2>How to use it</h2>
 *
 * Add {@code geneva-core}'s test jar to your test dependencies (together with JUnit Jupiter and
 * AssertJ):
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.geneva</groupId>
 *   <artifactId>geneva-core</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * and extend this class, creating a fresh, empty storage for each test:
 *
 * <pre>{@code
 * class MyStorageContractTest extends StorageContractTest {
 *   @Override
 *   protected Storage newStorage(Path tempDir) {
 *     return MyStorage.create(URI.create("my://bucket/" + tempDir.getFileName()));
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets its own storage from {@link #newStorage(Path)} and closes it afterwards. The
 * suite is self-contained: it depends only on the public {@code io.geneva} and {@code io.geneva.spi}
 * API, JUnit Jupiter and AssertJ, and it never sleeps. Override {@link #largeObjectSize()} to
 * exercise your multipart path.
 */
public abstract class StorageContractTest {

  /** A private directory for this test, for storages that keep anything on the local disk. */
  @TempDir protected Path tempDir;

  /** The storage under test, fresh and empty for each test. */
  protected Storage storage;

  /**
   * Creates a new, empty storage. Called once per test; the suite closes what it returns.
   *
   * @param tempDir a directory private to this test, deleted afterwards
   */
  protected abstract Storage newStorage(Path tempDir) throws Exception;

  /**
   * The size of the object used to check that large puts stream and verify correctly. Default 6 MiB,
   * just over the usual 5 MiB multipart part size.
   */
  protected int largeObjectSize() {
    return 6 << 20;
  }

  @BeforeEach
  final void createStorage() throws Exception {
    storage = newStorage(tempDir);
    assertThat(storage).as("newStorage(Path) returned null").isNotNull();
  }

  @AfterEach
  final void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers (kept here so the suite needs nothing outside the public API)
  // ---------------------------------------------------------------------------------------------

  /** Lower-case hex SHA-256. */
  protected static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic, incompressible bytes. */
  protected static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The content-addressed package key of these bytes. */
  protected static ObjectKey packageKey(byte[] content) {
    return ObjectKey.forPackage(sha256(content), "jar");
  }

  /** In-memory content declaring its true size and digest. */
  protected static Content content(byte[] bytes) {
    return new BytesContent(bytes, bytes.length, sha256(bytes));
  }

  /** Stores these bytes under their package key and returns the key. */
  protected ObjectKey putPackage(byte[] content) {
    ObjectKey key = packageKey(content);
    storage.put(key, content(content));
    return key;
  }

  /** Reads an object whole. */
  protected byte[] readAll(ObjectKey key) {
    try (InputStream in = storage.open(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Content whose declared size and digest may lie, to check that a storage verifies them. */
  private record BytesContent(byte[] bytes, long size, String sha256) implements Content {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public String toString() {
      return "test content (" + bytes.length + " bytes)";
    }
  }

  /** Content whose stream hands out the first half, then waits for {@link #release}. */
  private static final class GatedContent implements Content {
    private final byte[] bytes;
    final CountDownLatch halfRead = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final boolean failAfterRelease;

    GatedContent(byte[] bytes, boolean failAfterRelease) {
      this.bytes = bytes;
      this.failAfterRelease = failAfterRelease;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public String sha256() {
      return StorageContractTest.sha256(bytes);
    }

    @Override
    public InputStream open() {
      return new InputStream() {
        private int position;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int half = bytes.length / 2;
          if (position == half) {
            halfRead.countDown();
            try {
              if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IOException("test did not release the gated content");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted", e);
            }
            if (failAfterRelease) {
              throw new IOException("connection reset by the test");
            }
          }
          if (position >= bytes.length) {
            return -1;
          }
          int limit = position < half ? half : bytes.length;
          int n = Math.min(len, limit - position);
          System.arraycopy(bytes, position, b, off, n);
          position += n;
          return n;
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // root and uri
  // ---------------------------------------------------------------------------------------------

  @Test
  void root_isAbsoluteUriWithoutCredentials() {
    assertThat(storage.root()).isNotNull();
    assertThat(storage.root().getScheme()).isNotBlank();
    assertThat(storage.root().getUserInfo()).isNull();
  }

  @Test
  void uri_ofKey_endsWithTheKeyPath() {
    ObjectKey key = ObjectKey.forManifest(sha256(new byte[] {1}));

    assertThat(storage.uri(key).toString()).endsWith("/" + key.path()).doesNotContain("//" + key.path());
  }

  // ---------------------------------------------------------------------------------------------
  // findMissing
  // ---------------------------------------------------------------------------------------------

  @Test
  void findMissing_onEmptyStorage_reportsEveryKeyOfTheBatch() {
    Map<ObjectKey, Long> batch = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      byte[] b = bytes(i, 10 + i);
      batch.put(packageKey(b), (long) b.length);
    }

    assertThat(storage.findMissing(batch).keySet()).containsExactlyInAnyOrderElementsOf(batch.keySet());
  }

  @Test
  void findMissing_ofEmptyBatch_isEmpty() {
    assertThat(storage.findMissing(Map.of()).keySet()).isEmpty();
  }

  @Test
  void findMissing_reportsOnlyTheAbsentKeysOfAMixedBatch() {
    byte[] stored1 = bytes(1, 100);
    byte[] stored2 = bytes(2, 200);
    byte[] absent = bytes(3, 300);
    ObjectKey k1 = putPackage(stored1);
    ObjectKey k2 = putPackage(stored2);

    Map<ObjectKey, Long> batch = new HashMap<>();
    batch.put(k1, 100L);
    batch.put(k2, 200L);
    batch.put(packageKey(absent), 300L);

    assertThat(storage.findMissing(batch).keySet()).containsExactly(packageKey(absent));
  }

  @Test
  void findMissing_countsAnObjectWithAnotherSizeAsMissing_andReturnsTheSizeStored() {
    byte[] stored = bytes(1, 100);
    ObjectKey key = putPackage(stored);

    assertThat(storage.findMissing(Map.of(key, 101L))).containsExactly(Map.entry(key, OptionalLong.of(100)));
    assertThat(storage.findMissing(Map.of(key, 99L))).containsExactly(Map.entry(key, OptionalLong.of(100)));
    assertThat(storage.findMissing(Map.of(key, 100L))).isEmpty();
  }

  @Test
  void findMissing_mapsAnAbsentKeyToNoSize() {
    byte[] absent = bytes(4, 40);

    assertThat(storage.findMissing(Map.of(packageKey(absent), 40L)))
        .containsExactly(Map.entry(packageKey(absent), OptionalLong.empty()));
  }

  @Test
  void findMissing_withSizeMinusOne_acceptsAnySize() {
    ObjectKey key = putPackage(bytes(1, 100));
    ObjectKey absent = packageKey(bytes(2, 100));

    assertThat(storage.findMissing(Map.of(key, -1L, absent, -1L)).keySet()).containsExactly(absent);
  }

  @Test
  void findMissing_afterDelete_reportsTheKeyAgain() {
    ObjectKey key = putPackage(bytes(1, 50));
    storage.delete(key);

    assertThat(storage.findMissing(Map.of(key, 50L)).keySet()).containsExactly(key);
  }

  // ---------------------------------------------------------------------------------------------
  // put and open
  // ---------------------------------------------------------------------------------------------

  @Test
  void put_thenOpen_returnsTheSameBytes() {
    byte[] content = bytes(7, 4096);
    ObjectKey key = putPackage(content);

    assertThat(readAll(key)).isEqualTo(content);
  }

  @Test
  void put_ofEmptyContent_storesAnEmptyObject() {
    byte[] empty = new byte[0];
    ObjectKey key = putPackage(empty);

    assertThat(readAll(key)).isEmpty();
    assertThat(storage.stat(key)).get().extracting(StoredObject::size).isEqualTo(0L);
    assertThat(storage.findMissing(Map.of(key, 0L)).keySet()).isEmpty();
  }

  @Test
  void put_ofLargeObject_streamsAndVerifiesIt() {
    byte[] content = bytes(11, largeObjectSize());
    ObjectKey key = putPackage(content);

    assertThat(storage.stat(key)).get().extracting(StoredObject::size).isEqualTo((long) content.length);
    assertThat(sha256(readAll(key))).isEqualTo(sha256(content));
  }

  @Test
  void put_ofFileContent_storesTheFile() throws IOException {
    byte[] content = bytes(12, 70_000);
    Path file = Files.write(tempDir.resolve("content-source.bin"), content);
    ObjectKey key = packageKey(content);

    storage.put(key, Content.ofFile(file, content.length, sha256(content)));

    assertThat(readAll(key)).isEqualTo(content);
  }

  @Test
  void put_ofManifestKey_storesSmallJson() {
    byte[] json = "{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8);
    ObjectKey key = ObjectKey.forManifest(sha256(json));

    storage.put(key, content(json));

    assertThat(readAll(key)).isEqualTo(json);
  }

  @Test
  void put_sameKeyTwice_isIdempotent() {
    byte[] content = bytes(3, 1000);
    ObjectKey key = putPackage(content);

    storage.put(key, content(content));

    assertThat(readAll(key)).isEqualTo(content);
    assertThat(storage.list(ObjectKey.PACKAGES)).extracting(StoredObject::key).containsExactly(key);
  }

  @Test
  void put_withWrongDigest_throwsIntegrityException_andLeavesNothing() {
    byte[] content = bytes(4, 1000);
    ObjectKey key = packageKey(content);
    Content lying = new BytesContent(content, content.length, sha256(bytes(5, 1000)));

    assertThatThrownBy(() -> storage.put(key, lying))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path());

    assertNothingVisible(key);
  }

  @Test
  void put_withContentShorterThanDeclared_throwsIntegrityException_andLeavesNothing() {
    byte[] content = bytes(4, 1000);
    ObjectKey key = packageKey(content);
    byte[] truncated = java.util.Arrays.copyOf(content, 600);
    Content lying = new BytesContent(truncated, content.length, sha256(content));

    assertThatThrownBy(() -> storage.put(key, lying)).isInstanceOf(IntegrityException.class);

    assertNothingVisible(key);
  }

  @Test
  void put_withContentLongerThanDeclared_throwsIntegrityException_andLeavesNothing() {
    byte[] content = bytes(4, 1000);
    ObjectKey key = packageKey(content);
    byte[] longer = java.util.Arrays.copyOf(content, 1400);
    Content lying = new BytesContent(longer, content.length, sha256(content));

    assertThatThrownBy(() -> storage.put(key, lying)).isInstanceOf(IntegrityException.class);

    assertNothingVisible(key);
  }

  @Test
  void put_withWrongDigest_keepsAGoodObjectAlreadyStoredUnderTheKey() {
    byte[] content = bytes(6, 2000);
    ObjectKey key = putPackage(content);
    byte[] other = bytes(7, 2000);
    Content corrupt = new BytesContent(other, other.length, sha256(content));

    assertThatThrownBy(() -> storage.put(key, corrupt)).isInstanceOf(IntegrityException.class);

    assertThat(readAll(key)).isEqualTo(content);
  }

  @Test
  void put_whoseStreamFails_throwsStorageException_andLeavesNothing() {
    byte[] content = bytes(8, 64 * 1024);
    ObjectKey key = packageKey(content);
    GatedContent failing = new GatedContent(content, true);
    failing.release.countDown();

    assertThatThrownBy(() -> storage.put(key, failing)).isInstanceOf(StorageException.class);

    assertNothingVisible(key);
  }

  @Test
  @Timeout(60)
  void put_objectIsNotVisibleUntilItIsWholeAndVerified() throws Exception {
    byte[] content = bytes(9, 256 * 1024);
    ObjectKey key = packageKey(content);
    GatedContent gated = new GatedContent(content, false);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<?> put = executor.submit(() -> storage.put(key, gated));
      assertThat(gated.halfRead.await(30, TimeUnit.SECONDS)).as("put started reading").isTrue();

      // Half of the bytes have been read: nothing may be visible under the key yet.
      assertNothingVisible(key);

      gated.release.countDown();
      put.get(30, TimeUnit.SECONDS);
    } finally {
      gated.release.countDown();
      executor.shutdownNow();
    }
    assertThat(readAll(key)).isEqualTo(content);
  }

  @Test
  @Timeout(60)
  void concurrentPutsOfTheSameKey_bothSucceed_andTheContentIsRight() throws Exception {
    byte[] content = bytes(10, 300_000);
    ObjectKey key = packageKey(content);
    int writers = 4;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService executor = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        puts.add(
            executor.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  storage.put(key, content(content));
                  return null;
                }));
      }
      for (Future<?> f : puts) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }

    assertThat(sha256(readAll(key))).isEqualTo(sha256(content));
    assertThat(storage.findMissing(Map.of(key, (long) content.length)).keySet()).isEmpty();
  }

  @Test
  void open_ofAbsentKey_throwsStorageExceptionNamingTheKey() {
    ObjectKey key = packageKey(bytes(13, 10));

    assertThatThrownBy(() -> storage.open(key).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(key.path());
  }

  @Test
  void open_canBeCalledAgainAndReadConcurrently() throws IOException {
    byte[] content = bytes(14, 10_000);
    ObjectKey key = putPackage(content);

    try (InputStream a = storage.open(key);
        InputStream b = storage.open(key)) {
      ByteArrayOutputStream outA = new ByteArrayOutputStream();
      ByteArrayOutputStream outB = new ByteArrayOutputStream();
      byte[] buf = new byte[1000];
      for (int n; (n = a.read(buf)) != -1; ) {
        outA.write(buf, 0, n);
        int m = b.read(buf);
        if (m > 0) {
          outB.write(buf, 0, m);
        }
      }
      outB.write(b.readAllBytes());
      assertThat(outA.toByteArray()).isEqualTo(content);
      assertThat(outB.toByteArray()).isEqualTo(content);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // stat
  // ---------------------------------------------------------------------------------------------

  @Test
  void stat_ofStoredObject_givesKeySizeAndAPlausibleTime() {
    Instant before = Instant.now().minus(Duration.ofMinutes(10));
    byte[] content = bytes(15, 1234);
    ObjectKey key = putPackage(content);

    Optional<StoredObject> stat = storage.stat(key);

    assertThat(stat).isPresent();
    assertThat(stat.get().key()).isEqualTo(key);
    assertThat(stat.get().size()).isEqualTo(1234L);
    assertThat(stat.get().lastModified()).isAfter(before).isBefore(Instant.now().plus(Duration.ofMinutes(10)));
  }

  @Test
  void stat_ofAbsentKey_isEmpty() {
    assertThat(storage.stat(packageKey(bytes(16, 10)))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // list
  // ---------------------------------------------------------------------------------------------

  @Test
  void list_byPrefix_returnsExactlyTheObjectsUnderIt() {
    ObjectKey p1 = putPackage(bytes(17, 100));
    ObjectKey p2 = putPackage(bytes(18, 200));
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    ObjectKey m = ObjectKey.forManifest(sha256(json));
    storage.put(m, content(json));

    assertThat(storage.list(ObjectKey.PACKAGES)).extracting(StoredObject::key).containsExactlyInAnyOrder(p1, p2);
    assertThat(storage.list(ObjectKey.MANIFESTS)).extracting(StoredObject::key).containsExactly(m);
    assertThat(storage.list(ObjectKey.MANIFESTS))
        .singleElement()
        .satisfies(o -> assertThat(o.size()).isEqualTo(json.length));
  }

  @Test
  void list_withPrefixEndingInsideAName_matchesByStringPrefix() {
    byte[] a = bytes(19, 10);
    ObjectKey key = putPackage(a);
    String digest = sha256(a);
    String prefix = ObjectKey.PACKAGES + "sha256/" + digest.substring(0, 2) + "/" + digest.substring(0, 5);

    assertThat(storage.list(prefix)).extracting(StoredObject::key).containsExactly(key);
    assertThat(storage.list(ObjectKey.PACKAGES + "sha256/" + digest.substring(0, 2) + "/" + flip(digest.charAt(2))))
        .isEmpty();
  }

  private static char flip(char hex) {
    return hex == '0' ? '1' : '0';
  }

  @Test
  void list_ofPrefixWithNothingUnderIt_isEmpty() {
    putPackage(bytes(20, 10));

    assertThat(storage.list(ObjectKey.MANIFESTS)).isEmpty();
    assertThat(storage.list("nothing-here/")).isEmpty();
  }

  @Test
  void list_doesNotShowAFailedPut() {
    byte[] content = bytes(21, 1000);
    ObjectKey key = packageKey(content);
    try {
      storage.put(key, new BytesContent(content, content.length, sha256(new byte[0])));
    } catch (IntegrityException expected) {
      // checked by put_withWrongDigest_...
    }

    assertThat(storage.list("")).extracting(StoredObject::key).doesNotContain(key);
    assertThat(storage.list(ObjectKey.PACKAGES)).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // delete and close
  // ---------------------------------------------------------------------------------------------

  @Test
  void delete_removesTheObject() {
    ObjectKey key = putPackage(bytes(22, 100));
    ObjectKey other = putPackage(bytes(23, 100));

    storage.delete(key);

    assertThat(storage.stat(key)).isEmpty();
    assertThat(storage.list(ObjectKey.PACKAGES)).extracting(StoredObject::key).containsExactly(other);
    assertThatThrownBy(() -> storage.open(key).close()).isInstanceOf(StorageException.class);
  }

  @Test
  void delete_ofAbsentObject_isNotAnError_andIsIdempotent() {
    ObjectKey key = putPackage(bytes(24, 100));

    storage.delete(key);

    assertThatCode(() -> storage.delete(key)).doesNotThrowAnyException();
    assertThatCode(() -> storage.delete(packageKey(bytes(25, 1)))).doesNotThrowAnyException();
  }

  @Test
  void put_afterDelete_storesTheObjectAgain() {
    byte[] content = bytes(26, 100);
    ObjectKey key = putPackage(content);
    storage.delete(key);

    putPackage(content);

    assertThat(readAll(key)).isEqualTo(content);
  }

  @Test
  void close_isIdempotent() {
    storage.close();

    assertThatCode(storage::close).doesNotThrowAnyException();
  }

  private void assertNothingVisible(ObjectKey key) {
    assertThat(storage.stat(key)).as("stat of %s", key).isEmpty();
    assertThat(storage.findMissing(Map.of(key, -1L)).keySet()).as("findMissing of %s", key).containsExactly(key);
    assertThat(storage.list("")).extracting(StoredObject::key).as("list").doesNotContain(key);
    assertThatThrownBy(() -> storage.open(key).close()).isInstanceOf(StorageException.class);
  }
}
