package io.geneva.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geneva.CountingStorage;
import io.geneva.EntryKind;
import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.storage.FileStorage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node cache fetches each package once per node, never returns a corrupt one, and evicts LRU around leases. */
class NodeCacheTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final long UNBOUNDED = Long.MAX_VALUE;

  @TempDir Path tempDir;

  private FileStorage fileStorage;
  private CountingStorage storage;
  private TestClock clock;

  @BeforeEach
  void setUp() {
    fileStorage = FileStorage.open(tempDir.resolve("store"));
    storage = new CountingStorage(fileStorage);
    clock = new TestClock(START);
  }

  @AfterEach
  void tearDown() {
    fileStorage.close();
  }

  // ---------------------------------------------------------------------------------------------
  // ensure

  @Test
  void coldEnsure_downloads_andSecondEnsure_isAHitThatDoesNotReadStorage() throws IOException {
    byte[] content = bytes(1, 200_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);

    NodeCache.Entry first = cache.ensure(pkg, storage);
    NodeCache.Entry second = cache.ensure(pkg, storage);
    NodeCache.Entry fromAnotherWorker = open(UNBOUNDED).ensure(pkg, storage);

    assertThat(first.fetched()).isTrue();
    assertThat(first.bytesFetched()).isEqualTo(content.length);
    assertThat(first.file())
        .isEqualTo(cache.directory().resolve("packages").resolve(pkg.sha256().substring(0, 2))
            .resolve(pkg.sha256() + ".jar"))
        .hasBinaryContent(content);
    assertThat(second).isEqualTo(new NodeCache.Entry(first.file(), false, 0));
    assertThat(fromAnotherWorker).isEqualTo(new NodeCache.Entry(first.file(), false, 0));
    assertThat(storage.opens(pkg.key())).isEqualTo(1);
  }

  @Test
  void cachedPackage_isReadOnly() throws IOException {
    assumePosix();
    Manifest.Package pkg = publish(bytes(2, 1000));

    Path file = open(UNBOUNDED).ensure(pkg, storage).file();

    assertThat(Files.getPosixFilePermissions(file))
        .doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
  }

  @Test
  void concurrentEnsures_downloadEachPackageExactlyOnce() throws Exception {
    List<Manifest.Package> pkgs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pkgs.add(publish(bytes(10 + i, 300_000 + i)));
    }
    int threads = 8;
    // One cache per thread, as each worker JVM opens its own on the shared directory.
    List<NodeCache> caches = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      caches.add(open(UNBOUNDED));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<Future<List<NodeCache.Entry>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        NodeCache cache = caches.get(t);
        int first = t;
        results.add(executor.submit(() -> {
          start.await();
          List<NodeCache.Entry> entries = new ArrayList<>();
          for (int i = 0; i < pkgs.size(); i++) {
            entries.add(cache.ensure(pkgs.get((first + i) % pkgs.size()), storage));
          }
          return entries;
        }));
      }
      start.countDown();
      List<NodeCache.Entry> all = new ArrayList<>();
      for (Future<List<NodeCache.Entry>> result : results) {
        all.addAll(result.get(60, TimeUnit.SECONDS));
      }

      assertThat(all).hasSize(threads * pkgs.size());
      for (Manifest.Package pkg : pkgs) {
        assertThat(storage.opens(pkg.key())).as("opens of %s", pkg.key()).isEqualTo(1);
        List<NodeCache.Entry> forPkg =
            all.stream().filter(e -> e.file().getFileName().toString().startsWith(pkg.sha256())).toList();
        assertThat(forPkg).hasSize(threads);
        assertThat(forPkg).filteredOn(NodeCache.Entry::fetched).hasSize(1);
        assertThat(Sha256.hashFile(forPkg.get(0).file()).sha256()).isEqualTo(pkg.sha256());
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void storageObjectNotMatchingTheManifest_isRefusedAndNothingIsKept() throws IOException {
    byte[] expected = bytes(3, 5000);
    byte[] corrupt = expected.clone();
    corrupt[100] ^= 1;
    String digest = Sha256.of(expected);
    ObjectKey key = ObjectKey.forPackage(digest, "jar");
    fileStorage.put(key, Content.ofBytes(corrupt));
    Manifest.Package pkg = new Manifest.Package(key.path(), digest, expected.length, EntryKind.DEPENDENCY);
    NodeCache cache = open(UNBOUNDED);

    assertThatThrownBy(() -> cache.ensure(pkg, storage))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining(storage.root().toString())
        .hasMessageContaining("expected sha256 " + digest)
        .hasMessageContaining(Sha256.of(corrupt))
        .hasMessageContaining("not used")
        .hasMessageContaining("new session")
        .hasMessageContaining("delete " + key.path());
    assertThat(regularFiles(cache.directory().resolve("packages"))).isEmpty();
    assertThat(regularFiles(cache.directory().resolve("tmp"))).isEmpty();
  }

  @Test
  void storageObjectLongerThanTheManifestSays_isRefused() throws IOException {
    byte[] stored = bytes(4, 500_000);
    String digest = Sha256.of(stored);
    ObjectKey key = ObjectKey.forPackage(digest, "jar");
    fileStorage.put(key, Content.ofBytes(stored));
    Manifest.Package pkg = new Manifest.Package(key.path(), digest, 1000, EntryKind.DEPENDENCY);
    NodeCache cache = open(UNBOUNDED);

    assertThatThrownBy(() -> cache.ensure(pkg, storage))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining("more than 1000 bytes");
    assertThat(regularFiles(cache.directory().resolve("packages"))).isEmpty();
    assertThat(regularFiles(cache.directory().resolve("tmp"))).isEmpty();
  }

  @Test
  void missingStorageObject_propagatesTheStorageException_andLeavesNoTemporaryFile() throws IOException {
    byte[] content = bytes(5, 100);
    String digest = Sha256.of(content);
    ObjectKey key = ObjectKey.forPackage(digest, "jar");
    Manifest.Package pkg = new Manifest.Package(key.path(), digest, content.length, EntryKind.DEPENDENCY);
    NodeCache cache = open(UNBOUNDED);

    assertThatThrownBy(() -> cache.ensure(pkg, storage))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining(key.path())
        .hasMessageContaining("does not exist");
    assertThat(regularFiles(cache.directory().resolve("tmp"))).isEmpty();
    assertThat(regularFiles(cache.directory().resolve("packages"))).isEmpty();
  }

  @Test
  void cachedFileCorruptedOnDisk_isDetectedAndDownloadedAgain() throws IOException {
    byte[] content = bytes(6, 100_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);
    Path file = cache.ensure(pkg, storage).file();
    makeWritable(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 500);
    }
    Files.setLastModifiedTime(file, FileTime.from(START.minus(Duration.ofDays(3))));

    NodeCache.Entry again = cache.ensure(pkg, storage);

    assertThat(again.fetched()).isTrue();
    assertThat(again.bytesFetched()).isEqualTo(content.length);
    assertThat(again.file()).isEqualTo(file).hasBinaryContent(content);
    assertThat(storage.opens(pkg.key())).isEqualTo(2);
  }

  // Issue 15 item 2: an edit in place that keeps size and mtime (touch -r, cp -p, rsync) was a hit,
  // because the marker compared size, mtime and file key only.
  @Test
  void cachedFileChangedInPlace_keepingSizeAndMtime_isDetectedByItsChangeTime_andFetchedAgain()
      throws IOException {
    assumeTrue(tempDir.getFileSystem().supportedFileAttributeViews().contains("unix"));
    byte[] content = bytes(16, 100_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);
    Path file = cache.ensure(pkg, storage).file();
    FileTime mtime = Files.getLastModifiedTime(file);
    Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    makeWritable(file);
    byte[] tampered = content.clone();
    tampered[50_000] ^= 0x5a;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(tampered));
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    Files.setLastModifiedTime(file, mtime);
    assertThat(Files.size(file)).isEqualTo(content.length);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(mtime.toMillis());
    assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(inode);

    NodeCache.Entry again = cache.ensure(pkg, storage);
    NodeCache.Entry fromAnotherWorker = open(UNBOUNDED).ensure(pkg, storage);

    assertThat(again.fetched()).isTrue();
    assertThat(again.file()).isEqualTo(file).hasBinaryContent(content);
    assertThat(fromAnotherWorker).isEqualTo(new NodeCache.Entry(file, false, 0)); // a hit again
    assertThat(storage.opens(pkg.key())).isEqualTo(2);
  }

  @Test
  void cachedFileWhoseOnlyChangeIsItsChangeTime_isReHashed_andKeptWithoutAFetch() throws IOException {
    assumeTrue(tempDir.getFileSystem().supportedFileAttributeViews().contains("unix"));
    byte[] content = bytes(17, 100_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);
    Path file = cache.ensure(pkg, storage).file();
    String markerBefore = Files.readString(marker(file));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------")); // a chmod: ctime moves

    NodeCache.Entry again = cache.ensure(pkg, storage);

    assertThat(again).isEqualTo(new NodeCache.Entry(file, false, 0));
    assertThat(Files.readString(marker(file))).contains("ctime=").isNotEqualTo(markerBefore);
    assertThat(storage.opens(pkg.key())).isEqualTo(1);
  }

  @Test
  void truncatedFileWithoutMarker_isDownloadedAgain() throws IOException {
    byte[] content = bytes(7, 100_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);
    Path file = cache.ensure(pkg, storage).file();
    Files.delete(marker(file));
    makeWritable(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(content.length / 2);
    }

    NodeCache.Entry again = cache.ensure(pkg, storage);

    assertThat(again.fetched()).isTrue();
    assertThat(again.file()).hasBinaryContent(content);
    assertThat(storage.opens(pkg.key())).isEqualTo(2);
  }

  @Test
  void correctFileWithoutMarker_isVerifiedByHashing_notDownloadedAgain() throws IOException {
    byte[] content = bytes(8, 100_000);
    Manifest.Package pkg = publish(content);
    NodeCache cache = open(UNBOUNDED);
    Path file = cache.ensure(pkg, storage).file();
    Files.delete(marker(file));

    NodeCache.Entry again = cache.ensure(pkg, storage);

    assertThat(again).isEqualTo(new NodeCache.Entry(file, false, 0));
    assertThat(file).hasBinaryContent(content);
    assertThat(marker(file)).exists();
    assertThat(storage.opens(pkg.key())).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // eviction and leases

  @Test
  void evict_removesLeastRecentlyUsedFirst_untilUnderTheBound() {
    NodeCache cache = open(250);
    List<Manifest.Package> pkgs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pkgs.add(publish(bytes(20 + i, 100)));
      files.add(cache.ensure(pkgs.get(i), storage).file());
      clock.advance(Duration.ofMinutes(1));
    }
    cache.ensure(pkgs.get(0), storage); // a hit makes the oldest the most recently used

    int removed = cache.evict();

    assertThat(removed).isEqualTo(2);
    assertThat(files.get(1)).doesNotExist();
    assertThat(marker(files.get(1))).doesNotExist();
    assertThat(files.get(2)).doesNotExist();
    assertThat(files.get(0)).exists();
    assertThat(files.get(3)).exists();
    assertThat(cache.evict()).isZero();
  }

  @Test
  void evictedPackage_isDownloadedAgainWhenNeeded() {
    NodeCache cache = open(0);
    Manifest.Package pkg = publish(bytes(25, 100));
    cache.ensure(pkg, storage);
    assertThat(cache.evict()).isEqualTo(1);

    NodeCache.Entry again = cache.ensure(pkg, storage);

    assertThat(again.fetched()).isTrue();
    assertThat(again.file()).exists();
    assertThat(storage.opens(pkg.key())).isEqualTo(2);
  }

  @Test
  void leasedPackage_isNeverEvicted_untilTheLeaseCloses() throws IOException {
    NodeCache cache = open(50);
    Manifest.Package oldest = publish(bytes(30, 100));
    Path oldestFile = cache.ensure(oldest, storage).file();
    clock.advance(Duration.ofMinutes(1));
    Path newerFile = cache.ensure(publish(bytes(31, 100)), storage).file();
    NodeCache.Lease lease = cache.lease(List.of(oldest.sha256()));

    int removedWhileLeased = cache.evict();
    // Another cache on the directory in this JVM honors the lease too.
    int removedByAnother = open(50).evict();

    assertThat(removedWhileLeased).isEqualTo(1);
    assertThat(removedByAnother).isZero();
    assertThat(newerFile).doesNotExist();
    assertThat(oldestFile).exists();
    assertThat(leaseFiles(cache)).hasSize(1);
    assertThat(Files.readAllLines(leaseFiles(cache).get(0))).containsExactly(oldest.sha256());

    lease.close();
    lease.close();

    assertThat(leaseFiles(cache)).isEmpty();
    assertThat(cache.evict()).isEqualTo(1);
    assertThat(oldestFile).doesNotExist();
  }

  @Test
  void staleLease_isIgnoredAndDeletedByEvict() throws IOException {
    NodeCache cache = open(50);
    Manifest.Package pkg = publish(bytes(40, 100));
    Path file = cache.ensure(pkg, storage).file();
    // What a worker killed with -9 leaves behind: a lease file that nobody locks.
    Path stale = cache.directory().resolve("leases").resolve("999999-dead.lease");
    Files.writeString(stale, pkg.sha256() + "\n");

    int removed = cache.evict();

    assertThat(removed).isEqualTo(1);
    assertThat(file).doesNotExist();
    assertThat(stale).doesNotExist();
  }

  @Test
  void leaseFileLockedThroughAnotherChannelInThisJvm_isHonored() throws IOException {
    NodeCache cache = open(50);
    Manifest.Package pkg = publish(bytes(41, 100));
    Path file = cache.ensure(pkg, storage).file();
    Path foreign = cache.directory().resolve("leases").resolve("1-foreign.lease");
    Files.writeString(foreign, pkg.sha256() + "\n");

    try (FileChannel channel = FileChannel.open(foreign, StandardOpenOption.WRITE)) {
      channel.lock();
      assertThat(cache.evict()).isZero();
      assertThat(file).exists();
      assertThat(foreign).exists();
    }
    assertThat(cache.evict()).isEqualTo(1);
    assertThat(foreign).doesNotExist();
  }

  @Test
  void leaseHeldByAnotherProcess_isHonored_untilThatProcessIsKilled() throws Exception {
    NodeCache cache = open(50);
    Manifest.Package pkg = publish(bytes(42, 100));
    Path file = cache.ensure(pkg, storage).file();
    Path lease = cache.directory().resolve("leases").resolve("2-child.lease");
    Files.writeString(lease, pkg.sha256() + "\n");
    Process child = startLockHolder(lease);
    try {
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("locked");

        assertThat(cache.evict()).isZero();
        assertThat(file).exists();
        assertThat(lease).exists();

        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      assertThat(cache.evict()).isEqualTo(1);
      assertThat(file).doesNotExist();
      assertThat(lease).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void evict_deletesTemporaryFilesOlderThanADay_only() throws IOException {
    NodeCache cache = open(UNBOUNDED);
    Path tmp = cache.directory().resolve("tmp");
    Path old = Files.writeString(tmp.resolve("old.part"), "x");
    Files.setLastModifiedTime(old, FileTime.from(START.minus(Duration.ofHours(25))));
    Path recent = Files.writeString(tmp.resolve("recent.part"), "x");
    Files.setLastModifiedTime(recent, FileTime.from(START.minus(Duration.ofHours(23))));

    cache.evict();

    assertThat(old).doesNotExist();
    assertThat(recent).exists();
  }

  // ---------------------------------------------------------------------------------------------
  // paths and permissions

  @Test
  void invalidDigestOrKey_isRejected_withoutTouchingStorageOrTheCache() throws IOException {
    NodeCache cache = open(UNBOUNDED);
    String digest = Sha256.of("x");
    List<Manifest.Package> invalid =
        List.of(
            pkg("packages/sha256/ab/x.jar", "../x"),
            pkg("packages/sha256/ab/x.jar", digest.toUpperCase(java.util.Locale.ROOT)),
            pkg("packages/sha256/ab/x.jar", digest + "/../../evil"),
            pkg("../" + digest + ".jar", digest),
            pkg("packages/sha256/ab/" + digest, digest),
            pkg("packages/sha256/ab/" + digest + ".Jar", digest),
            pkg("packages/sha256/ab/" + digest + ".longerthanten", digest));

    for (Manifest.Package pkg : invalid) {
      assertThatThrownBy(() -> cache.ensure(pkg, storage))
          .as("%s", pkg)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> cache.lease(List.of("../x"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.totalOpens()).isZero();
    assertThat(regularFiles(cache.directory().resolve("packages"))).isEmpty();
    assertThat(regularFiles(cache.directory().resolve("locks"))).isEmpty();
  }

  @Test
  void invalidDigest_namesThePackage() {
    NodeCache cache = open(UNBOUNDED);

    assertThatThrownBy(() -> cache.ensure(pkg("packages/sha256/ab/x.jar", "../x"), storage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("packages/sha256/ab/x.jar")
        .hasMessageContaining("\"../x\"");
  }

  @Test
  void createdDirectories_areOwnerOnly() throws IOException {
    assumePosix();
    NodeCache cache = NodeCache.open(tempDir.resolve("new").resolve("cache"), UNBOUNDED, clock);
    Path file = cache.ensure(publish(bytes(50, 100)), storage).file();

    List<Path> directories =
        List.of(
            cache.directory(),
            cache.directory().resolve("packages"),
            cache.directory().resolve("locks"),
            cache.directory().resolve("tmp"),
            cache.directory().resolve("leases"),
            file.getParent());
    for (Path dir : directories) {
      assertThat(Files.getPosixFilePermissions(dir))
          .as("permissions of %s", dir)
          .contains(PosixFilePermission.OWNER_WRITE)
          .doesNotContain(PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
    }
  }

  @Test
  void worldWritableSubdirectory_isMadeOwnerOnly() throws IOException {
    assumePosix();
    Path packages = Files.createDirectories(tempDir.resolve("cache").resolve("packages"));
    Files.setPosixFilePermissions(packages, PosixFilePermissions.fromString("rwxrwxrwx"));

    open(UNBOUNDED);

    assertThat(Files.getPosixFilePermissions(packages))
        .doesNotContain(PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private NodeCache open(long maxBytes) {
    return NodeCache.open(tempDir.resolve("cache"), maxBytes, clock);
  }

  private Manifest.Package publish(byte[] content) {
    String digest = Sha256.of(content);
    ObjectKey key = ObjectKey.forPackage(digest, "jar");
    fileStorage.put(key, Content.ofBytes(content));
    return new Manifest.Package(key.path(), digest, content.length, EntryKind.DEPENDENCY);
  }

  private static Manifest.Package pkg(String key, String sha256) {
    return new Manifest.Package(key, sha256, 1, EntryKind.DEPENDENCY);
  }

  private static byte[] bytes(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static Path marker(Path file) {
    return file.resolveSibling(file.getFileName() + ".ok");
  }

  private static void makeWritable(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } else {
      assertThat(file.toFile().setWritable(true)).isTrue();
    }
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static List<Path> leaseFiles(NodeCache cache) throws IOException {
    return regularFiles(cache.directory().resolve("leases"));
  }

  private static void assumePosix() {
    assumeTrue(Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix"));
  }

  /** Starts a JVM that locks the file, prints "locked", and waits to be killed. */
  private Process startLockHolder(Path file) throws IOException {
    Path source = tempDir.resolve("HoldLock.java");
    Files.writeString(
        source,
        """
        import java.nio.channels.FileChannel;
        import java.nio.file.Path;
        import java.nio.file.StandardOpenOption;

        public class HoldLock {
          public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
              channel.lock();
              System.out.println("locked");
              System.out.flush();
              System.in.read();
            }
          }
        }
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), source.toString(), file.toString())
        .redirectErrorStream(true)
        .start();
  }

  /** A clock that moves only when the test moves it. Thread-safe. */
  private static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("not needed by the cache");
    }
  }

  /** A storage that delegates and counts the objects opened, per key: a hand-written recorder. */
}
