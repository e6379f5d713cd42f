package io.geneva.k8s.internal.ray;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.spi.JobRequest;
import io.geneva.testfixture.SquareTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A manifest of the local-cluster tests' task classes (geneva-core's test jar), published into a
 * file store, for Ray actors to bootstrap.
 */
public final class RayFixture {
  public final Path store;
  public final Path cache;
  public final URI manifest;
  public final int packages;

  public RayFixture(Path dir) {
    this.store = dir.resolve("store");
    this.cache = dir.resolve("node-cache");
    try (GenevaSession s = Geneva.connect(store.toString()).home(dir.resolve("home"))
        .classpath(List.of(codeSource(SquareTask.class))).projectDirectory(dir).open()) {
      this.manifest = s.manifestUri();
      this.packages = s.manifest().classpath().size();
    }
  }

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public JobRequest request(String jobId, Class<?> task, int partitions, int maxAttempts, Map<String, String> parameters) {
    return JobRequest.builder()
        .jobId(jobId)
        .taskClass(task.getName())
        .partitions(partitions)
        .maxAttempts(maxAttempts)
        .parameters(parameters)
        .manifestUri(manifest)
        .build();
  }

  /** One CPU group of two 4-CPU pods: room for 8 one-CPU actors. */
  CoordinatorSpec spec(JobRequest request) {
    return new CoordinatorSpec(request, List.of(new CoordinatorSpec.Group("cpu", 4, 0, 8L << 30, 2)),
        cache.toString(), 1L << 30);
  }

  public static Object deserialize(InputStream in) {
    try (ObjectInputStream o = new ObjectInputStream(in)) {
      return o.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
