package io.geneva.internal.worker;

import io.geneva.GenevaException;
import io.geneva.WorkerReport;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Fetches a manifest's packages into the node cache and exits: what a pod's {@code geneva-bootstrap}
 * init container runs before Ray starts, so a package crosses the network once per node and the
 * first task does not wait for it.
 *
 * <p>Configured by environment: {@value #MANIFEST}, {@value #CACHE} (default {@code
 * /var/cache/geneva}) and {@value #CACHE_MAX_BYTES} (default 10 GiB). Storage is reached the way the
 * storage provider reads its own configuration (for S3: the AWS environment, the pod's service
 * account). Without a manifest (a pod that starts before the session's first warmup) it only prepares
 * the cache. Exit status 0 when every package is present and verified, 1 with one line on standard
 * error otherwise, 2 for a configuration error.
 */
public final class BootstrapMain {
  /** The manifest URI. */
  public static final String MANIFEST = "GENEVA_MANIFEST_URI";
  /** The node cache directory. */
  public static final String CACHE = "GENEVA_CACHE";
  /** The node cache's bound in bytes. */
  public static final String CACHE_MAX_BYTES = "GENEVA_CACHE_MAX_BYTES";

  private BootstrapMain() {}

  /** Runs with this process's environment and exits with the status of {@link #run}. */
  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.out, System.err));
  }

  /**
   * Bootstraps the manifest named by the environment.
   *
   * @return the exit status
   */
  public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
    String manifest = environment.getOrDefault(MANIFEST, "").strip();
    long maxBytes;
    try {
      maxBytes = Long.parseLong(environment.getOrDefault(CACHE_MAX_BYTES, Long.toString(10L << 30)));
    } catch (NumberFormatException e) {
      err.println("geneva bootstrap: " + CACHE_MAX_BYTES + " is \"" + environment.get(CACHE_MAX_BYTES)
          + "\", not a number of bytes");
      return 2;
    }
    Path cache = Path.of(environment.getOrDefault(CACHE, "/var/cache/geneva"));
    String worker = environment.getOrDefault("HOSTNAME", "bootstrap");
    try (Bootstrapper bootstrapper = new Bootstrapper(NodeCache.open(cache, maxBytes, Clock.systemUTC()), worker, 4)) {
      if (manifest.isEmpty()) {
        out.println("geneva bootstrap: no " + MANIFEST + " yet; the node cache " + cache + " is ready");
        return 0;
      }
      WorkerReport r = bootstrapper.bootstrap(URI.create(manifest)).getValue();
      out.println("geneva bootstrap: " + r.packagesFetched() + " packages fetched (" + r.bytesFetched() + " bytes), "
          + r.packagesFromCache() + " from the node cache " + cache + ", in " + r.bootstrapMillis() + " ms");
      return 0;
    } catch (GenevaException | IllegalArgumentException e) {
      err.println("geneva bootstrap: " + e.getMessage());
      return 1;
    }
  }
}
