package io.geneva.internal.worker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.geneva.Manifest;
import io.geneva.internal.manifest.ManifestCodec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What Caffeine would cost a worker that starts: the {@link Bootstrapper}'s own cache of class
 * loaders ({@link PreparedManifests}, variant {@code geneva}) against the same cache built with
 * Caffeine (size-bounded, releasing what it drops on the caller's thread; variant {@code caffeine}),
 * each in a fresh {@code java} process (JVM start included), since a worker bootstraps its first
 * manifest right after its JVM starts, with Caffeine's classes not loaded yet. Each process
 * first reads a manifest (loading Jackson, as a worker has by then), then keeps six manifests in a
 * cache of four (two evicted and closed) and closes it: that part is timed ("cache ms").
 *
 * <p>Variants are interleaved run by run, the order reversed every other run, so a load change on a
 * shared machine hits both alike; medians are printed, with the ratio to the baseline.
 *
 * <pre>
 * mvn -q -pl geneva-core test-compile exec:exec@cache-bench [-Dbench.runs=11]
 * </pre>
 */
public final class CacheStartBench {
  private static final List<String> VARIANTS = List.of("geneva", "caffeine");

  private CacheStartBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) {
      child(args[1]);
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
    for (int run = 0; run < runs; run++) {
      List<String> order = new ArrayList<>(VARIANTS);
      if (run % 2 == 1) {
        Collections.reverse(order);
      }
      for (String variant : order) {
        results.get(variant).add(fresh(java, variant));
      }
    }
    System.out.printf(Locale.ROOT, "%d fresh JVMs per variant, Java %s; medians%n", runs, Runtime.version());
    double[] base = medians(results.get("geneva"));
    System.out.printf(Locale.ROOT, "%-14s %12s %12s %16s%n", "variant", "cache ms", "process ms", "process / geneva");
    for (String variant : VARIANTS) {
      double[] m = medians(results.get(variant));
      System.out.printf(Locale.ROOT, "%-14s %12.1f %12.1f %15.3fx%n", variant, m[0], m[1], m[1] / base[1]);
    }
  }

  private static double[] fresh(String java, String variant) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CacheStartBench.class.getName(), "child", variant)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = in.readLine();
    }
    if (p.waitFor() != 0 || line == null) {
      throw new IllegalStateException(variant + " failed");
    }
    double processMillis = (System.nanoTime() - start) / 1e6;
    return new double[] {Double.parseDouble(line), processMillis};
  }

  private static double[] medians(List<double[]> runs) {
    double[] out = new double[2];
    for (int i = 0; i < 2; i++) {
      int index = i;
      double[] sorted = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
      out[i] = sorted[sorted.length / 2];
    }
    return out;
  }

  /** Prints the milliseconds spent keeping six manifests in a cache of four and closing it. */
  private static void child(String variant) throws IOException {
    // What a worker has done before it keeps its first manifest: read one (Jackson) and build its loader.
    Manifest written = new Manifest(Manifest.FORMAT_VERSION, List.of(), new Manifest.Runtime(17, "linux", "amd64"),
        List.of("-Xmx1g"), Map.of("A", "1"), false);
    Manifest manifest = ManifestCodec.decode(new ByteArrayInputStream(ManifestCodec.encode(written)), "bench",
        ManifestCodec.digest(written));
    List<Bootstrapper.Prepared> prepared = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      prepared.add(new Bootstrapper.Prepared(manifest, URI.create("file:///s/manifests/" + i + ".json"),
          new URLClassLoader(new URL[0], null), () -> {}));
    }
    long start = System.nanoTime();
    if (variant.equals("caffeine")) {
      // The Caffeine cache PreparedManifests would be: size-bounded, closing what it drops on the caller's thread.
      Cache<URI, Bootstrapper.Prepared> kept = Caffeine.newBuilder()
          .maximumSize(4)
          .executor(Runnable::run)
          .removalListener((URI uri, Bootstrapper.@Nullable Prepared p, RemovalCause cause) -> {
            if (p != null) {
              p.release();
            }
          })
          .build();
      for (Bootstrapper.Prepared p : prepared) {
        kept.getIfPresent(p.manifestUri());
        kept.put(p.manifestUri(), p);
      }
      kept.invalidateAll();
      kept.cleanUp();
    } else {
      try (PreparedManifests kept = new PreparedManifests(4)) {
        for (Bootstrapper.Prepared p : prepared) {
          kept.get(p.manifestUri());
          kept.put(p);
        }
      }
    }
    System.out.println((System.nanoTime() - start) / 1e6);
  }
}
