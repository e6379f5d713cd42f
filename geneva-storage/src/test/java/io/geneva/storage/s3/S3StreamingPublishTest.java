package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.FixtureFiles;
import io.geneva.ForwardingStorage;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.ProgressEvent;
import io.geneva.ProgressListener;
import io.geneva.StartupReport;
import io.geneva.StorageException;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 against a real S3 server (S3Proxy, signatures checked): a cold start's uploads begin while
 * the workspace is still being packed, the manifest is written only after every package is stored,
 * and a failed upload fails the start without a manifest. The overlap is observed through events: the
 * pack stage's first progress event waits for an upload to begin, so a start that uploaded only after
 * packing would wait for ever (a minute, then the test fails on what it recorded).
 */
class S3StreamingPublishTest {
  private static final long GIVE_UP_SECONDS = 60;

  @TempDir Path dir;

  private final List<S3Storage> storages = new ArrayList<>();
  private Path classes;
  private Path jar;
  private Path otherJar;

  @BeforeEach
  void layout() throws Exception {
    classes = dir.resolve("project/classes");
    for (int i = 0; i < 30; i++) {
      Path file = classes.resolve("com/acme/C" + i + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, FixtureFiles.randomBytes(i, 2000 + 10 * i));
    }
    jar = dir.resolve("m2/dep.jar");
    Files.createDirectories(jar.getParent());
    Files.write(jar, FixtureFiles.randomBytes(100, 3 << 20));
    otherJar = dir.resolve("m2/other.jar");
    Files.write(otherJar, FixtureFiles.randomBytes(101, 1 << 20));
  }

  @AfterEach
  void close() {
    storages.forEach(S3Storage::close);
  }

  private S3Storage storage(String bucket, URI endpoint) {
    S3Storage storage = S3Storage.builder(URI.create("s3://" + bucket + "/geneva"))
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(LocalS3.credentials())
        .retryBackoff(Duration.ofMillis(1))
        .build();
    storages.add(storage);
    return storage;
  }

  private StartupReport open(Storage storage, String home, ProgressListener listener) {
    try (GenevaSession session = Geneva.connect().storage(storage).home(dir.resolve(home))
        .projectDirectory(dir.resolve("project")).classpath(List.of(jar, classes, otherJar)).parallelism(2)
        .progressListener(listener).open()) {
      return session.startupReport();
    }
  }

  @Test
  void uploadsBeginWhilePackingGoesOn_andTheManifestComesLast() {
    S3Storage s3 = storage(LocalS3.get().newBucket("streaming"), LocalS3.get().endpoint());
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch uploadBegan = new CountDownLatch(1);
    Recording storage = new Recording(s3, events, uploadBegan);
    AtomicBoolean waited = new AtomicBoolean();
    ProgressListener listener = event -> {
      if (event.phase() == ProgressEvent.Phase.PACK && event.type() == ProgressEvent.Type.PROGRESS
          && waited.compareAndSet(false, true)) {
        events.add(await(uploadBegan) ? "packing went on after an upload began" : "packing gave up waiting");
      } else if (event.phase() == ProgressEvent.Phase.PACK && event.type() == ProgressEvent.Type.FINISHED) {
        events.add("pack finished");
      }
    };

    StartupReport cold = open(storage, "home", listener);

    assertThat(events).contains("packing went on after an upload began").doesNotContain("packing gave up waiting");
    assertThat(events.indexOf("upload began " + storage.firstPackage))
        .isLessThan(events.indexOf("pack finished"));
    assertThat(events).last().asString().startsWith("upload began " + ObjectKey.MANIFESTS);
    assertThat(cold.packagesUploaded()).isEqualTo(cold.packages().size());
    for (var p : cold.packages()) {
      assertThat(s3.stat(ObjectKey.forPackage(p.digest(), "jar"))).as(p.source()).isPresent();
    }
    // A second start with a fresh home finds everything stored, the streamed uploads included.
    StartupReport again = open(s3, "fresh-home", event -> {});
    assertThat(again.bytesUploaded()).isZero();
    assertThat(again.manifestDigest()).isEqualTo(cold.manifestDigest());
  }

  @Test
  void aFailedUpload_failsTheStart_andNoManifestIsWritten() {
    String bucket = LocalS3.get().newBucket("streamfail");
    String otherKey = ObjectKey.forPackage(FixtureFiles.sha256(otherJar), "jar").path();
    try (FaultProxy proxy = FaultProxy.start(LocalS3.get().endpoint())) {
      proxy.failNext(1, FaultProxy.Fault.error(403, "AccessDenied", "injected: no writes to this key"),
          r -> r.method().equals("PUT") && r.path().contains(otherKey));
      S3Storage s3 = storage(bucket, proxy.uri());

      assertThatThrownBy(() -> open(s3, "home", event -> {}))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(otherKey);

      assertThat(s3.list(ObjectKey.MANIFESTS)).isEmpty();
      assertThat(proxy.requests()).noneMatch(r -> r.method().equals("PUT") && r.path().contains(ObjectKey.MANIFESTS));
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

  /** Delegates, recording when each put begins. */
  private static final class Recording extends ForwardingStorage {
    private final List<String> events;
    private final CountDownLatch uploadBegan;
    volatile String firstPackage = "";

    Recording(Storage delegate, List<String> events, CountDownLatch uploadBegan) {
      super(delegate);
      this.events = events;
      this.uploadBegan = uploadBegan;
    }

    @Override
    public void put(ObjectKey key, Content content) {
      synchronized (events) {
        if (firstPackage.isEmpty() && key.path().startsWith(ObjectKey.PACKAGES)) {
          firstPackage = key.path();
        }
        events.add("upload began " + key.path());
      }
      uploadBegan.countDown();
      super.put(key, content);
    }
  }
}
