package io.geneva.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.FixtureFiles;
import io.geneva.Manifest;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's bootstrapped manifests: real class loaders over real jars, closed with their leases
 * when they are dropped, before the call that dropped them returns (so no test waits).
 */
class PreparedManifestsTest {
  private static final String RESOURCE = "geneva-test/hello.txt";

  @TempDir Path tempDir;

  /** A lease that records whether it was given back. */
  private static final class RecordingLease implements NodeCache.Lease {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private Bootstrapper.Prepared prepared(int n) throws MalformedURLException {
    Path jar = FixtureFiles.jar(tempDir.resolve("manifest-" + n + ".jar"),
        Map.of(RESOURCE, ("manifest " + n).getBytes(StandardCharsets.UTF_8)));
    URLClassLoader loader = new URLClassLoader("test-" + n, new URL[] {jar.toUri().toURL()}, null);
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, List.of(), new Manifest.Runtime(17, "linux", "amd64"),
        List.of(), Map.of(), false);
    return new Bootstrapper.Prepared(manifest, URI.create("file:///store/manifests/" + n + ".json"), loader,
        new RecordingLease());
  }

  /** Whether the loader can still read its jar: a closed URLClassLoader finds nothing. */
  private static boolean open(Bootstrapper.Prepared p) {
    return p.loader().getResource(RESOURCE) != null;
  }

  private static boolean leased(Bootstrapper.Prepared p) {
    return !((RecordingLease) p.lease()).closed.get();
  }

  @Test
  void aKeptManifest_isFoundByItsUri_withItsLoaderOpen() throws Exception {
    try (PreparedManifests kept = new PreparedManifests(4)) {
      Bootstrapper.Prepared p = prepared(0);
      kept.put(p);

      assertThat(kept.get(p.manifestUri())).containsSame(p);
      assertThat(kept.get(URI.create("file:///store/manifests/other.json"))).isEmpty();
      assertThat(open(p)).isTrue();
      assertThat(leased(p)).isTrue();
    }
  }

  @Test
  void beyondTheMaximum_theLeastRecentlyUsedLoaderIsClosedAndItsLeaseGivenBack() throws Exception {
    try (PreparedManifests kept = new PreparedManifests(4)) {
      List<Bootstrapper.Prepared> first = List.of(prepared(0), prepared(1), prepared(2), prepared(3));
      first.forEach(kept::put);
      kept.get(first.get(0).manifestUri()); // used again: now 1 is the least recently used

      Bootstrapper.Prepared fifth = prepared(4);
      kept.put(fifth);

      Bootstrapper.Prepared evicted = first.get(1);
      assertThat(kept.get(evicted.manifestUri())).isEmpty();
      assertThat(open(evicted)).as("evicted loader closed").isFalse();
      assertThat(leased(evicted)).as("evicted lease given back").isFalse();
      assertThat(kept.size()).isEqualTo(4);
      assertThat(List.of(first.get(0), first.get(2), first.get(3), fifth)).allSatisfy(p -> {
        assertThat(kept.get(p.manifestUri())).containsSame(p);
        assertThat(open(p)).isTrue();
        assertThat(leased(p)).isTrue();
      });
    }
  }

  @Test
  void aManifestUsedByEveryTask_outlivesAnyNumberOfManifestsUsedOnce() throws Exception {
    try (PreparedManifests kept = new PreparedManifests(4)) {
      Bootstrapper.Prepared busy = prepared(0);
      kept.put(busy);
      for (int i = 1; i <= 12; i++) {
        kept.put(prepared(i));
        kept.get(busy.manifestUri());
      }

      assertThat(kept.get(busy.manifestUri())).containsSame(busy);
      assertThat(open(busy)).isTrue();
      assertThat(kept.size()).isEqualTo(4);
    }
  }

  @Test
  void aManifestKeptAgainUnderItsUri_releasesTheOneItReplaces() throws Exception {
    try (PreparedManifests kept = new PreparedManifests(4)) {
      Bootstrapper.Prepared old = prepared(0);
      kept.put(old);
      Bootstrapper.Prepared again = new Bootstrapper.Prepared(old.manifest(), old.manifestUri(), prepared(1).loader(),
          new RecordingLease());

      kept.put(again);

      assertThat(kept.get(old.manifestUri())).containsSame(again);
      assertThat(open(old)).isFalse();
      assertThat(leased(old)).isFalse();
    }
  }

  @Test
  void close_closesEveryKeptLoader() throws Exception {
    PreparedManifests kept = new PreparedManifests(4);
    List<Bootstrapper.Prepared> all = List.of(prepared(0), prepared(1), prepared(2));
    all.forEach(kept::put);

    kept.close();

    assertThat(all).allSatisfy(p -> {
      assertThat(open(p)).isFalse();
      assertThat(leased(p)).isFalse();
    });
  }

  @Test
  void close_releasesEveryManifest_evenWhenOneCannotBeReleased() throws Exception {
    PreparedManifests kept = new PreparedManifests(4);
    Bootstrapper.Prepared good = prepared(0);
    Bootstrapper.Prepared bad = new Bootstrapper.Prepared(good.manifest(), URI.create("file:///s/manifests/bad.json"),
        prepared(1).loader(), () -> {
          throw new IllegalStateException("lease file gone");
        });
    kept.put(bad);
    kept.put(good);

    assertThatThrownBy(kept::close).hasMessageContaining("lease file gone");
    assertThat(open(good)).isFalse();
    assertThat(open(bad)).isFalse();
    assertThat(kept.size()).isZero();
  }

  @Test
  void release_closesTheLoader_evenIfTheLeaseCannotBeGivenBack() throws Exception {
    Path jar = FixtureFiles.jar(tempDir.resolve("m.jar"), Map.of(RESOURCE, new byte[] {1}));
    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, List.of(), new Manifest.Runtime(17, "linux", "amd64"),
        List.of(), Map.of(), false);
    NodeCache.Lease failing = () -> {
      throw new IllegalStateException("lease file gone");
    };
    Bootstrapper.Prepared p = new Bootstrapper.Prepared(manifest, URI.create("file:///s/manifests/m.json"), loader, failing);

    assertThatThrownBy(p::release).hasMessageContaining("lease file gone");
    assertThat(loader.getResource(RESOURCE)).isNull();
  }

  @Test
  void aMaximumBelowOne_isRefused() {
    assertThatThrownBy(() -> new PreparedManifests(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximum < 1");
  }
}
