package io.geneva.internal.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.EntryKind;
import io.geneva.FixtureFiles;
import io.geneva.ForwardingStorage;
import io.geneva.Manifest;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.internal.publish.KnownObjects;
import io.geneva.internal.publish.Publisher;
import io.geneva.internal.storage.FileStorage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4 (the class of Ray's bug #46625): a session that reuses an old package while gc runs
 * must not end with a manifest in storage that references a package gc deleted. Each test stops one
 * side at the worst moment with latches, runs the other side whole, then lets the first one finish.
 */
class GcPublishRaceTest {
  /** Storage stamps objects with the system clock; gc's injected clock stands at the test's start. */
  private static final Instant NOW = Instant.now();

  @TempDir Path dir;

  private FileStorage store;
  private ExecutorService pool;
  private byte[] reusedBytes;
  private ObjectKey reused;
  private ObjectKey newerManifest;

  /**
   * The store: package {@code reused}, two days old, referenced only by a manifest two days old; a
   * newer manifest (a day old) references another package. {@code gc --keep 1} would delete both the
   * old manifest and {@code reused}, which a session is about to publish again.
   */
  @BeforeEach
  void store() throws IOException {
    store = FileStorage.open(dir.resolve("store"));
    pool = Executors.newFixedThreadPool(4);
    reusedBytes = FixtureFiles.randomBytes(1, 3000);
    reused = putPackage(reusedBytes);
    ObjectKey other = putPackage(FixtureFiles.randomBytes(2, 2000));
    ObjectKey oldManifest = putManifest(List.of(reused), 1);
    newerManifest = putManifest(List.of(other), 2);
    age(reused, Duration.ofDays(2));
    age(other, Duration.ofDays(2));
    age(oldManifest, Duration.ofDays(2));
    age(newerManifest, Duration.ofDays(1));
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    store.close();
  }

  @Test
  void gcRunningWhilePublishingIsBetweenAlreadyStoredAndManifestWritten_leavesNoDanglingManifest() throws Exception {
    PausingStorage publishing = new PausingStorage(store, (op, key) -> op.equals("put") && key.startsWith(ObjectKey.MANIFESTS));
    byte[] manifest = manifestBytes(List.of(reused), 3);
    ObjectKey manifestKey = ObjectKey.forManifest(FixtureFiles.sha256(manifest));

    Future<Publisher.Result> publish = pool.submit(() -> publisher(publishing, "fresh-home").publish(
        List.of(packed(reusedBytes)), manifestKey, manifest));
    publishing.awaitPaused(); // storage said the package is there; the manifest is not written yet
    GarbageCollector.Result gc =
        new GarbageCollector(store, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC))
            .collect(Optional.of(1), Optional.empty(), false);
    assertThat(gc.deleted()).as("gc saw no manifest referencing it yet").contains(reused);
    publishing.resume();
    Publisher.Result result = publish.get(60, TimeUnit.SECONDS);

    assertThat(result.lost()).containsExactly(reused);
    assertThat(store.stat(manifestKey)).isPresent();
    assertNoDanglingManifest();
  }

  @Test
  void publishingWhileGcIsBetweenListingManifestsAndDeleting_leavesNoDanglingManifest() throws Exception {
    PausingStorage collecting = new PausingStorage(store, (op, key) -> op.equals("listed") && key.equals(ObjectKey.MANIFESTS));
    byte[] manifest = manifestBytes(List.of(reused), 3);
    ObjectKey manifestKey = ObjectKey.forManifest(FixtureFiles.sha256(manifest));

    Future<GarbageCollector.Result> gc = pool.submit(() ->
        new GarbageCollector(collecting, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC))
            .collect(Optional.of(1), Optional.empty(), false));
    collecting.awaitPaused(); // gc has listed the manifests; the session's is not among them
    Publisher.Result result = publisher(store, "fresh-home").publish(List.of(packed(reusedBytes)), manifestKey, manifest);
    assertThat(result.uploaded()).as("storage still had it").isEmpty();
    collecting.resume();
    GarbageCollector.Result collected = gc.get(60, TimeUnit.SECONDS);

    assertThat(collected.deleted()).doesNotContain(reused, manifestKey);
    assertThat(collected.kept())
        .anySatisfy(k -> {
          assertThat(k.key()).isEqualTo(manifestKey);
          assertThat(k.reason()).isEqualTo("published or used while gc ran");
        });
    assertNoDanglingManifest();
  }

  @Test
  void aSessionReusingAnUnkeptManifestWhileGcRuns_keepsIt() throws Exception {
    PausingStorage collecting = new PausingStorage(store, (op, key) -> op.equals("listed") && key.equals(ObjectKey.MANIFESTS));
    byte[] manifest = manifestBytes(List.of(reused), 1); // the old manifest, about to be dropped
    ObjectKey manifestKey = ObjectKey.forManifest(FixtureFiles.sha256(manifest));

    Future<GarbageCollector.Result> gc = pool.submit(() ->
        new GarbageCollector(collecting, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC))
            .collect(Optional.of(1), Optional.empty(), false));
    collecting.awaitPaused();
    publisher(store, "fresh-home").publish(List.of(packed(reusedBytes)), manifestKey, manifest);
    collecting.resume();
    GarbageCollector.Result collected = gc.get(60, TimeUnit.SECONDS);

    assertThat(collected.deleted()).doesNotContain(reused, manifestKey);
    assertThat(store.stat(manifestKey)).isPresent();
    assertNoDanglingManifest();
  }

  private Publisher publisher(Storage storage, String home) {
    return new Publisher(
        storage,
        KnownObjects.load(dir.resolve(home), storage.root(), problem -> {}),
        pool,
        Clock.systemUTC(),
        Duration.ofHours(1),
        false,
        bytes -> {});
  }

  /** Every manifest in storage has every package it references. */
  private void assertNoDanglingManifest() throws IOException {
    for (StoredObject m : store.list(ObjectKey.MANIFESTS)) {
      try (InputStream in = store.open(m.key())) {
        Manifest manifest = ManifestCodec.decode(in, m.key().path(), m.key().digest().orElseThrow());
        for (Manifest.Package p : manifest.classpath()) {
          assertThat(store.stat(ObjectKey.of(p.key()))).as("%s references %s", m.key(), p.key()).isPresent();
        }
      }
    }
  }

  private ObjectKey putPackage(byte[] bytes) {
    ObjectKey key = ObjectKey.forPackage(FixtureFiles.sha256(bytes), "jar");
    store.put(key, Content.ofBytes(bytes));
    return key;
  }

  private static PackedPackage packed(byte[] bytes) {
    return new PackedPackage(
        "dep.jar", EntryKind.DEPENDENCY, FixtureFiles.sha256(bytes), bytes.length, "unchanged", 0,
        () -> Content.ofBytes(bytes), Optional.empty());
  }

  private ObjectKey putManifest(List<ObjectKey> packages, int jvmOption) {
    byte[] bytes = manifestBytes(packages, jvmOption);
    ObjectKey key = ObjectKey.forManifest(FixtureFiles.sha256(bytes));
    store.put(key, Content.ofBytes(bytes));
    return key;
  }

  /** A manifest of these packages, made distinct by a JVM option. */
  private byte[] manifestBytes(List<ObjectKey> packages, int variant) {
    List<Manifest.Package> classpath = new ArrayList<>();
    for (ObjectKey k : packages) {
      classpath.add(new Manifest.Package(k.path(), k.digest().orElseThrow(), store.stat(k).orElseThrow().size(), EntryKind.DEPENDENCY));
    }
    return ManifestCodec.encode(new Manifest(
        Manifest.FORMAT_VERSION, classpath, new Manifest.Runtime(17, "linux", "amd64"),
        List.of("-Dvariant=" + variant), Map.of(), false));
  }

  private void age(ObjectKey key, Duration by) throws IOException {
    Files.setLastModifiedTime(store.directory().resolve(key.path()), FileTime.from(NOW.minus(by)));
  }

  /** Delegates, and holds the first call that matches until the test resumes it. */
  private static final class PausingStorage extends ForwardingStorage {
    private final BiPredicate<String, String> at;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    /** @param at (operation, key or prefix): "put" before a write, "listed" after a listing */
    PausingStorage(Storage delegate, BiPredicate<String, String> at) {
      super(delegate);
      this.at = at;
    }

    void awaitPaused() throws InterruptedException {
      assertThat(reached.await(60, TimeUnit.SECONDS)).as("reached the pause point").isTrue();
    }

    void resume() {
      resume.countDown();
    }

    private void pauseIf(String operation, String key) {
      if (at.test(operation, key) && paused.compareAndSet(false, true)) {
        reached.countDown();
        try {
          resume.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void put(ObjectKey key, Content content) {
      pauseIf("put", key.path());
      super.put(key, content);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      List<StoredObject> listed = super.list(prefix);
      pauseIf("listed", prefix);
      return listed;
    }
  }

}
