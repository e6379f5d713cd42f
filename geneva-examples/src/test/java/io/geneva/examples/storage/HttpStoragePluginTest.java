package io.geneva.examples.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.examples.weather.StationStats;
import io.geneva.examples.weather.StationStatsTask;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin in use: found by ServiceLoader in the session and in the local workers. */
class HttpStoragePluginTest {
  static final Path CLASSES = Path.of("target/classes").toAbsolutePath();

  @TempDir Path dir;
  private HttpObjectServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpObjectServer.start(dir.resolve("served"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aSessionPublishesThroughThePlugin_andLocalWorkersBootstrapFromIt() throws IOException {
    URI root = server.root("geneva");
    JobResult<StationStats> result;
    URI manifest;
    try (GenevaSession session = Geneva.connect(root.toString()).home(dir.resolve("home"))
        .classpath(List.of(CLASSES)).cluster(LocalCluster.workers(1)).open()) {
      manifest = session.manifestUri();
      result = session.submit(Job.of(StationStatsTask.class).partitions(2)).join();
    }

    assertThat(manifest.toString()).startsWith("httpstore://127.0.0.1:" + server.port() + "/geneva/manifests/");
    assertThat(result.results()).hasSize(2).allSatisfy(s -> assertThat(s.readings()).isPositive());
    try (Stream<Path> served = Files.walk(dir.resolve("served").resolve("geneva"))) {
      assertThat(served.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".jar"));
    }
  }

  @Test
  void serviceLoader_findsTheProviderForItsScheme() {
    try (Storage storage = openThroughServiceLoader(URI.create("httpstore://127.0.0.1:" + server.port() + "/x"))) {
      assertThat(storage).isInstanceOf(HttpObjectStorage.class);
      assertThat(storage.root()).hasToString("httpstore://127.0.0.1:" + server.port() + "/x/");
    }
  }

  @Test
  void aRootTheProviderCannotUse_isRefusedNamingIt() {
    assertThatThrownBy(() -> openThroughServiceLoader(URI.create("httpstore://user:secret@127.0.0.1:1/x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("storage root httpstore://127.0.0.1:1/x has a user part; this store takes no credentials in its URI")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    assertThatThrownBy(() -> openThroughServiceLoader(URI.create("httpstore://127.0.0.1:1/a/../b")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has an unusable prefix");
  }

  /**
   * Opens a root as Geneva finds a plugin, with only the public SPI: the provider that {@link
   * ServiceLoader} lists for the root's scheme.
   */
  private static Storage openThroughServiceLoader(URI root) {
    return ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.schemes().contains(root.getScheme()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no StorageProvider for " + root.getScheme() + " in META-INF/services"))
        .create(root);
  }
}
