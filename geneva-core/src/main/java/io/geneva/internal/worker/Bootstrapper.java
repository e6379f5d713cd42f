package io.geneva.internal.worker;

import io.geneva.GenevaException;
import io.geneva.Manifest;
import io.geneva.StorageException;
import io.geneva.WorkerReport;
import io.geneva.internal.concurrent.ThreadFactories;
import io.geneva.internal.job.TaskSetupException;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Turns a manifest URI into a class loader: reads the manifest (checking its digest against its
 * name), leases its packages in the node cache, fetches the missing ones in parallel, and builds a
 * loader over the cached jars in manifest order. Loaders are kept per manifest ({@value #KEPT} at
 * most, in {@link PreparedManifests}, which closes one it drops), so a worker that bootstrapped a
 * manifest once is ready at once the next time.
 *
 * <p>Thread-safe.
 */
public final class Bootstrapper implements AutoCloseable {
  private static final int KEPT = 4;

  private final NodeCache cache;
  private final String worker;
  private final ClassLoader geneva;
  private final ExecutorService fetchers;
  private final PreparedManifests prepared = new PreparedManifests(KEPT);
  /** Bootstraps started in the background, until the first {@link #bootstrap} of their manifest. */
  private final Map<URI, CompletableFuture<Map.Entry<Prepared, WorkerReport>>> early = new java.util.HashMap<>();
  private @Nullable ProvidedJars providedJars;
  private @Nullable URI classPathManifest;
  private String classDataLine = "";
  private String runtimeClassDataLine = "";

  /** The system property naming the manifest whose jars are this JVM's class path (warm start). */
  public static final String CLASS_PATH_MANIFEST = "geneva.worker.classPathManifest";
  /** The system property saying what this JVM does about a class-data cache, for worker reports. */
  public static final String CLASS_DATA = "geneva.worker.classData";
  /** The system property saying what a generic worker does about its runtime's class data, for reports. */
  public static final String RUNTIME_CLASS_DATA = "geneva.worker.runtimeClassData";

  /**
   * A bootstrapped manifest: its class loader and its lease on the packages the loader reads. The
   * bootstrapper owns both and releases them when it drops the manifest.
   */
  public record Prepared(Manifest manifest, URI manifestUri, URLClassLoader loader, NodeCache.Lease lease) {
    /** Gives the lease back and closes the loader, even if the lease cannot be given back. */
    void release() {
      try {
        lease.close();
      } finally {
        try {
          loader.close();
        } catch (IOException e) {
          // The loader's jars stay open until the worker exits; nothing else depends on it.
        }
      }
    }
  }

  /**
   * @param cache the node cache
   * @param worker this worker's name, for reports
   * @param fetchThreads how many packages download at once
   */
  public Bootstrapper(NodeCache cache, String worker, int fetchThreads) {
    this.cache = cache;
    this.worker = worker;
    this.geneva = Bootstrapper.class.getClassLoader();
    this.fetchers = Executors.newFixedThreadPool(fetchThreads, ThreadFactories.daemon("geneva-fetch"));
  }

  /**
   * Says that this JVM's class path holds the jars of this manifest (a warm-start worker), so its
   * classes load from the application class loader, where a class-data cache covers them; and what
   * the JVM does about that cache, for the worker reports. The jars are still leased and verified.
   */
  public synchronized void classPathManifest(URI manifestUri, String classData) {
    this.classPathManifest = manifestUri;
    this.classDataLine = classData;
  }

  /** Says what this JVM does about its runtime's class data, for the reports of every manifest. */
  public synchronized void runtimeClassData(String line) {
    this.runtimeClassDataLine = line;
  }

  /**
   * Starts bootstrapping a manifest in the background: a warm-start worker's own manifest, as the
   * worker starts, so that reading it and checking its packages overlap the JVM's start and the wait
   * for the session's warmup. The first {@link #bootstrap} of that manifest gets this result, with
   * its report; if it failed, that call bootstraps again, and reports the failure as usual.
   */
  public void bootstrapInBackground(URI manifestUri) {
    CompletableFuture<Map.Entry<Prepared, WorkerReport>> result = new CompletableFuture<>();
    synchronized (early) {
      early.put(manifestUri, result);
    }
    ThreadFactories.startDaemon("geneva-bootstrap", () -> {
      try {
        result.complete(bootstrapNow(manifestUri));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
  }

  /** The loader of a manifest bootstrapped before (or in the background), or a new one; with what it took. */
  public Map.Entry<Prepared, WorkerReport> bootstrap(URI manifestUri) {
    CompletableFuture<Map.Entry<Prepared, WorkerReport>> started;
    synchronized (early) {
      started = early.remove(manifestUri);
    }
    if (started != null) {
      try {
        return started.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        // Bootstrapped again below, so the failure is reported as for any bootstrap.
      }
    }
    return bootstrapNow(manifestUri);
  }

  private synchronized Map.Entry<Prepared, WorkerReport> bootstrapNow(URI manifestUri) {
    Prepared known = prepared.get(manifestUri).orElse(null);
    if (known != null) {
      return Map.entry(known, WorkerReport.builder(worker).pid(ProcessHandle.current().pid()).alreadyReady(true)
          .classData(classDataOf(manifestUri)).build());
    }
    long start = System.nanoTime();
    ManifestUri parsed;
    try {
      parsed = ManifestUri.of(manifestUri);
    } catch (IllegalArgumentException e) {
      throw new TaskSetupException(e.getMessage());
    }
    String digest = parsed.digest();
    try (Storage storage = StorageSelector.open(parsed.storageRoot())) {
      Manifest manifest = readManifest(storage, manifestUri, digest);
      checkRuntime(manifest, manifestUri);
      List<Manifest.Package> provided = manifest.classpath().stream().filter(p -> p.provided() != null).toList();
      // Provided jars are checked first: an image that lacks one fails before anything is downloaded.
      Map<String, Path> fromImage = provided.isEmpty() ? Map.of() : providedJars().resolve(provided, manifestUri);
      List<String> digests = manifest.classpath().stream().filter(p -> p.provided() == null)
          .map(Manifest.Package::sha256).toList();
      NodeCache.Lease lease = cache.lease(digests);
      try {
        List<Future<NodeCache.Entry>> fetches = new ArrayList<>();
        for (Manifest.Package p : manifest.classpath()) {
          fetches.add(p.provided() != null ? null : fetchers.submit(() -> ensure(storage, p, manifestUri)));
        }
        List<URL> urls = new ArrayList<>();
        int fetched = 0;
        long bytes = 0;
        for (int i = 0; i < fetches.size(); i++) {
          Future<NodeCache.Entry> f = fetches.get(i);
          if (f == null) {
            urls.add(url(fromImage.get(manifest.classpath().get(i).sha256())));
            continue;
          }
          NodeCache.Entry e = join(f);
          urls.add(url(e.file()));
          fetched += e.fetched() ? 1 : 0;
          bytes += e.bytesFetched();
        }
        URLClassLoader loader = onClassPath(manifestUri, urls)
            // Empty, delegating to the application class loader that holds the manifest's jars.
            ? new URLClassLoader("geneva-manifest-" + digest.substring(0, 12), new URL[0], ClassLoader.getSystemClassLoader())
            : new URLClassLoader("geneva-manifest-" + digest.substring(0, 12), urls.toArray(URL[]::new), new ApiClassLoader(geneva));
        Prepared p = new Prepared(manifest, manifestUri, loader, lease);
        prepared.put(p);
        cache.evict();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return Map.entry(p, WorkerReport.builder(worker).pid(ProcessHandle.current().pid()).packagesFetched(fetched)
            .packagesFromCache(digests.size() - fetched).bytesFetched(bytes).bootstrapMillis(millis).classData(classDataOf(manifestUri)).build());
      } catch (RuntimeException e) {
        lease.close();
        throw e;
      }
    }
  }

  private String classDataOf(URI manifestUri) {
    return manifestUri.equals(classPathManifest) ? classDataLine : runtimeClassDataLine;
  }

  /**
   * Whether the manifest's jars are this JVM's class path, in order (after Geneva's runtime): true
   * only for the manifest this worker was started for, and only if the node cache still holds its
   * jars at the paths the worker was started with.
   */
  private boolean onClassPath(URI manifestUri, List<URL> urls) {
    if (!manifestUri.equals(classPathManifest)) {
      return false;
    }
    List<String> classPath = List.of(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator));
    List<String> jars = new ArrayList<>();
    for (URL u : urls) {
      try {
        jars.add(Path.of(u.toURI()).toString());
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        return false;
      }
    }
    int at = java.util.Collections.indexOfSubList(classPath, jars);
    if (at < 0 && !jars.isEmpty()) {
      classDataLine = "not on the class path: the node cache no longer holds the jars the worker started with;"
          + " loading them in a class loader";
      return false;
    }
    return true;
  }

  private static Manifest readManifest(Storage storage, URI manifestUri, String digest) {
    ObjectKey key = ObjectKey.forManifest(digest);
    try (InputStream in = storage.open(key)) {
      return ManifestCodec.decode(in, manifestUri.toString(), digest);
    } catch (StorageException e) {
      if (storage.stat(key).isEmpty()) {
        throw new TaskSetupException("manifest " + manifestUri + " is not in storage (deleted, or gc'ed);"
            + " open a new session to publish it again");
      }
      throw e;
    } catch (IOException e) {
      throw new StorageException("cannot read manifest " + manifestUri + ": " + e, e, true);
    }
  }

  private static void checkRuntime(Manifest manifest, URI manifestUri) {
    int needed = manifest.runtime().javaFeatureVersion();
    int have = Runtime.version().feature();
    if (have < needed) {
      throw new TaskSetupException("manifest " + manifestUri + " was packaged on Java " + needed
          + " but this worker runs Java " + have + "; start workers on Java " + needed + " or newer");
    }
  }

  private NodeCache.Entry ensure(Storage storage, Manifest.Package p, URI manifestUri) {
    try {
      return cache.ensure(p, storage);
    } catch (StorageException e) {
      if (!e.retryable() && storage.stat(ObjectKey.of(p.key())).isEmpty()) {
        throw new TaskSetupException("package " + p.key() + " of manifest " + manifestUri
            + " is not in storage " + storage.root() + " (deleted, or gc'ed); open a new session to"
            + " publish it again");
      }
      throw e;
    }
  }

  private static NodeCache.Entry join(Future<NodeCache.Entry> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GenevaException g) {
        throw g;
      }
      throw new GenevaException("fetching a package failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GenevaException("interrupted while fetching packages", e);
    }
  }

  private synchronized ProvidedJars providedJars() {
    if (providedJars == null) {
      providedJars = ProvidedJars.fromEnvironment();
    }
    return providedJars;
  }

  private static URL url(Path file) {
    try {
      return file.toUri().toURL();
    } catch (MalformedURLException x) {
      throw new UncheckedIOException(x);
    }
  }

  @Override
  public synchronized void close() {
    prepared.close();
    fetchers.shutdownNow();
  }
}
