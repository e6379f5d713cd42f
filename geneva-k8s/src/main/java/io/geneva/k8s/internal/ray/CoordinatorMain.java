package io.geneva.k8s.internal.ray;

import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.Storage;
import io.ray.api.Ray;
import java.io.PrintStream;

/**
 * The entrypoint of a Geneva Ray job: reads the {@link CoordinatorSpec} from {@value
 * CoordinatorSpec#ENV}, connects to Ray, runs the {@link Coordinator}, and exits 0 if the job
 * succeeded, 1 if it failed, 2 if it could not start. Its events go to standard output, which the
 * Ray job's log carries to the session.
 */
public final class CoordinatorMain {
  /** The node cache directory in a Geneva pod's environment, which wins over the spec's. */
  static final String CACHE_ENV = "GENEVA_CACHE";

  private CoordinatorMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    String json = System.getenv(CoordinatorSpec.ENV);
    if (json == null || json.isBlank()) {
      out.println(JobEvent.error(-1, CoordinatorSpec.ENV + " is not set; this program is"
          + " started by a Geneva session as a Ray job's entrypoint", null).toLine());
      System.exit(2);
      return;
    }
    CoordinatorSpec spec;
    try {
      spec = CoordinatorSpec.fromJson(json);
    } catch (IllegalArgumentException e) {
      out.println(JobEvent.error(-1, e.getMessage(), null).toLine());
      System.exit(2);
      return;
    }
    String cache = System.getenv(CACHE_ENV);
    if (cache != null && !cache.isBlank()) {
      spec = spec.withCacheDirectory(cache);
    }
    boolean ok;
    try (Storage storage = StorageSelector.open(spec.request().manifest().storageRoot())) {
      Ray.init();
      try {
        Coordinator coordinator = new Coordinator(spec, storage, e -> {
          synchronized (out) {
            out.println(e.toLine());
            out.flush();
          }
        });
        ok = spec.warmNodes() > 0 ? coordinator.warmup() : coordinator.run();
      } finally {
        Ray.shutdown();
      }
    } catch (RuntimeException e) {
      out.println(JobEvent.error(-1, "the coordinator could not start: " + e.getMessage(),
          null).toLine());
      out.flush();
      System.exit(2);
      return;
    }
    System.exit(ok ? 0 : 1);
  }
}
