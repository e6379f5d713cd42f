package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.internal.fingerprint.StaleFingerprintException;
import io.geneva.internal.gc.GarbageCollector;
import io.geneva.internal.io.FileOpener;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.session.OpenSession;
import io.geneva.internal.storage.FileStorage;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: publishing streams. A package's upload starts as soon as the package is final, while later
 * ones are still hashed and packed; the manifest is written only once every package it references is
 * stored; one failed upload fails the start and cancels the others; a file that changes under the
 * stream fails it with the usual error; and a gc that deletes an early upload before the manifest
 * exists cannot leave the manifest dangling. Ordering is observed through latches, never timing: a
 * step that would have to wait for something that never happens gives up after a minute and the test
 * fails on what it recorded.
 */
class StreamingPublishTest {
  private static final long GIVE_UP_SECONDS = 60;

  @TempDir Path dir;

  private Sandbox sandbox;
  private Path classes;
  private Path jar;
  private FileStorage store;
  private final ExecutorService background = Executors.newSingleThreadExecutor();

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(dir);
    classes = sandbox.project.resolve("classes");
    FixtureFiles.classTree(classes, 20, 3); // a directory seen for the first time: packed, not hashed first
    jar = sandbox.dependencyJar("dep", 1);
    store = FileStorage.open(sandbox.store);
  }

  @AfterEach
  void close() {
    background.shutdownNow();
    store.close();
  }

  @Test
  void aJarsUploadStarts_whileTheWorkspaceIsStillBeingPacked() {
    CountDownLatch jarPutBegan = new CountDownLatch(1);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    HookedStorage storage = new HookedStorage(store);
    storage.beforePut = (key, content) -> {
      if (content.file().equals(Optional.of(jar))) {
        events.add("jar upload began");
        jarPutBegan.countDown();
      }
    };
    // Packing the workspace cannot read its first file until the jar's upload has begun.
    AtomicBoolean waited = new AtomicBoolean();
    FileOpener opener = file -> {
      if (file.startsWith(classes) && waited.compareAndSet(false, true)) {
        events.add(await(jarPutBegan) ? "workspace file read" : "workspace file read without an upload begun");
      }
      return Files.newInputStream(file);
    };

    StartupReport report = open(storage, opener, jar, classes);

    assertThat(events).first().isEqualTo("jar upload began");
    assertThat(events).contains("workspace file read").doesNotContain("workspace file read without an upload begun");
    assertThat(report.packagesUploaded()).isEqualTo(report.packages().size());
    assertThat(report.phases()).containsKeys("fingerprint", "pack", "manifest", "publish", "publishAfterPack");
    assertThat(report.phases().get("publishAfterPack")).isLessThanOrEqualTo(report.phases().get("publish"));
    assertNoDanglingManifest();
    assertThat(store.list(ObjectKey.MANIFESTS)).singleElement()
        .satisfies(m -> assertThat(m.key().digest()).contains(report.manifestDigest()));
  }

  @Test
  void theManifest_isWrittenOnlyAfterEveryPackageIsStored() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    HookedStorage storage = new HookedStorage(store);
    storage.beforePut = (key, content) -> {
      if (key.path().startsWith(ObjectKey.MANIFESTS)) {
        stored.add("manifest");
      }
    };
    storage.afterPut = key -> {
      if (key.path().startsWith(ObjectKey.PACKAGES)) {
        stored.add(key.path());
      }
    };
    Path other = sandbox.dependencyJar("other", 2);

    StartupReport report = open(storage, FileOpener.DEFAULT, jar, classes, other);

    assertThat(stored).hasSize(report.packages().size() + 1).last().isEqualTo("manifest");
  }

  @Test
  void oneFailedUpload_failsTheStart_cancelsTheOthers_andWritesNoManifest() {
    Path other = sandbox.dependencyJar("other", 2);
    CountDownLatch jarPutBegan = new CountDownLatch(1);
    AtomicBoolean jarPutCancelled = new AtomicBoolean();
    AtomicBoolean jarPutReturned = new AtomicBoolean();
    HookedStorage storage = new HookedStorage(store);
    storage.beforePut = (key, content) -> {
      if (content.file().equals(Optional.of(jar))) {
        jarPutBegan.countDown();
        try {
          // An upload that would take for ever, unless it is cancelled.
          new CountDownLatch(1).await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          jarPutCancelled.set(true);
          Thread.currentThread().interrupt();
          throw new StorageException("upload of " + key + " interrupted", e, true);
        } finally {
          jarPutReturned.set(true);
        }
      } else if (content.file().equals(Optional.of(other))) {
        await(jarPutBegan);
        throw new StorageException("injected failure writing " + key + " to the test storage");
      }
    };

    assertThatThrownBy(() -> open(storage, FileOpener.DEFAULT, jar, classes, other))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("injected failure writing");

    assertThat(jarPutCancelled).as("the other upload was cancelled").isTrue();
    assertThat(jarPutReturned).as("and had ended when the start failed").isTrue();
    assertThat(store.list(ObjectKey.MANIFESTS)).isEmpty();
  }

  @Test
  void aJarThatKeepsChangingUnderTheStream_failsTheStart_andNoManifestReferencesIt() {
    HookedStorage storage = new HookedStorage(store);
    AtomicInteger rewrites = new AtomicInteger();
    // Rewritten after it was hashed, just before each of its uploads: the upload's check catches it.
    storage.beforePut = (key, content) -> {
      if (content.file().equals(Optional.of(jar))) {
        rewriteSameSize(jar, rewrites.incrementAndGet());
      }
    };

    assertThatThrownBy(() -> open(storage, FileOpener.DEFAULT, jar, classes))
        .isInstanceOf(StaleFingerprintException.class)
        .hasMessageContaining("dep.jar changed after it was fingerprinted")
        .hasMessageContaining("run again once it is stable");

    assertThat(rewrites).as("tried once more after the first change").hasValue(2);
    assertThat(store.list(ObjectKey.MANIFESTS)).isEmpty();
  }

  @Test
  void aJarChangedOnceUnderTheStream_isPackagedAgain_andTheManifestHasItsNewContent() {
    HookedStorage storage = new HookedStorage(store);
    AtomicInteger rewrites = new AtomicInteger();
    storage.beforePut = (key, content) -> {
      if (content.file().equals(Optional.of(jar)) && rewrites.get() == 0) {
        rewriteSameSize(jar, rewrites.incrementAndGet());
      }
    };

    StartupReport report = open(storage, FileOpener.DEFAULT, jar, classes);

    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("packaged again"));
    assertThat(Sandbox.bySource(report, "dep.jar")).get()
        .satisfies(p -> assertThat(p.digest()).isEqualTo(FixtureFiles.sha256(jar)));
    assertNoDanglingManifest();
  }

  /**
   * The race an adversarial run found, made wider by streaming: a package uploaded early, while the
   * workspace is still being packed, is referenced by no manifest yet; a gc that runs then (here its
   * clock stands two hours on, past its one-hour grace period) deletes it. The start confirms every
   * package after writing its manifest, so it uploads the package again.
   */
  @Test
  void gcDeletingAnEarlyUploadWhilePackingGoesOn_leavesNoDanglingManifest() throws Exception {
    String jarKey = ObjectKey.forPackage(FixtureFiles.sha256(jar), "jar").path();
    CountDownLatch jarStored = new CountDownLatch(1);
    CountDownLatch gcDone = new CountDownLatch(1);
    HookedStorage storage = new HookedStorage(store);
    storage.afterPut = key -> {
      if (key.path().equals(jarKey)) {
        jarStored.countDown();
      }
    };
    AtomicBoolean packedBeforeGc = new AtomicBoolean();
    AtomicBoolean waited = new AtomicBoolean();
    FileOpener opener = file -> {
      if (file.startsWith(classes) && waited.compareAndSet(false, true) && !await(gcDone)) {
        packedBeforeGc.set(true);
      }
      return Files.newInputStream(file);
    };

    Future<StartupReport> start = background.submit(() -> open(storage, opener, jar, classes));
    assertThat(await(jarStored)).as("the jar was uploaded while the workspace waits to be packed").isTrue();
    GarbageCollector.Result collected =
        new GarbageCollector(store, Duration.ofHours(1), Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC))
            .collect(Optional.of(1), Optional.empty(), false);
    gcDone.countDown();
    StartupReport report = start.get(GIVE_UP_SECONDS, TimeUnit.SECONDS);

    assertThat(packedBeforeGc).isFalse();
    assertThat(collected.deleted()).extracting(ObjectKey::path).contains(jarKey);
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("storage no longer held " + jarKey));
    assertThat(store.stat(ObjectKey.of(jarKey))).isPresent();
    assertNoDanglingManifest();
  }

  private StartupReport open(Storage storage, FileOpener opener, Path... classpath) {
    GenevaSession.Builder builder = Geneva.connect()
        .storage(storage)
        .home(sandbox.home)
        .projectDirectory(sandbox.project)
        .classpath(List.of(classpath))
        .parallelism(2)
        .clock(sandbox.clock);
    try (GenevaSession session = OpenSession.open(builder.toConfig().withOpener(opener))) {
      return session.startupReport();
    }
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** New content of the same size, with a new mtime, so the file's fast key changes too. */
  private static void rewriteSameSize(Path file, int seed) {
    byte[] bytes = FixtureFiles.read(file);
    byte[] changed = FixtureFiles.randomBytes(100 + seed, bytes.length);
    FixtureFiles.write(file, changed, FixtureFiles.PAST.plusSeconds(seed));
  }

  /** Every manifest in storage has every package it references. */
  private void assertNoDanglingManifest() {
    for (StoredObject m : store.list(ObjectKey.MANIFESTS)) {
      try (InputStream in = store.open(m.key())) {
        Manifest manifest = ManifestCodec.decode(in, m.key().path(), m.key().digest().orElseThrow());
        for (Manifest.Package p : manifest.classpath()) {
          assertThat(store.stat(ObjectKey.of(p.key()))).as("%s references %s", m.key(), p.key()).isPresent();
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Put hooks for the callbacks a test needs. */
  @FunctionalInterface
  private interface PutHook {
    void before(ObjectKey key, Content content);
  }

  /**
   * A file store seen as a remote storage (no local staging, so every package is streamed through
   * {@link #put}), with hooks around each put.
   */
  private static final class HookedStorage extends ForwardingStorage {
    volatile PutHook beforePut = (key, content) -> {};
    volatile java.util.function.Consumer<ObjectKey> afterPut = key -> {};

    HookedStorage(Storage delegate) {
      super(delegate);
    }

    @Override
    public void put(ObjectKey key, Content content) {
      beforePut.before(key, content);
      super.put(key, content);
      afterPut.accept(key);
    }
  }
}
