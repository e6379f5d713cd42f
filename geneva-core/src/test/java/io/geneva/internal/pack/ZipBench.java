package io.geneva.internal.pack;

import io.geneva.internal.classpath.FileRecord;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import io.geneva.internal.fingerprint.Fingerprinter;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.FileOpener;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ParallelScatterZipCreator;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Measures Geneva's zip writer ({@link ZipWriter} + {@link FixedHuffmanDeflater}, as {@link
 * ArchiveWriter} uses them) against Apache Commons Compress, packing a directory the way Geneva packs
 * one: {@link ShardPlanner} shards, built in parallel on a fork-join pool, entries in path order with
 * their parent directories, one fixed timestamp, no extra fields, every file SHA-256 hashed and the
 * archive digested.
 *
 * <p>Each measured run is a fresh {@code java} process (JVM start included), since a hand-written
 * encoder starts interpreted; variants are interleaved run by run, with the order reversed every
 * other run, so a load change on a shared machine hits them alike. Per run the wall time of each
 * variant is divided by Geneva's, and the medians of those ratios are reported, next to the medians
 * of the times. A last process per variant packs the directory several times in one JVM (the warmed
 * figure, a diagnostic) and checks every archive with Commons Compress's {@link ZipFile}.
 *
 * <p>Run (after building the corpus with {@code ../shared/bench/make-corpus.sh}):
 *
 * <pre>
 * mvn -q -pl geneva-core test-compile exec:exec@zip-bench [-Dbench.runs=5] [-Dbench.workspace=DIR]
 * </pre>
 *
 * Variants: {@code geneva} (today's writer); {@code cc-deflate} ({@link ZipArchiveOutputStream} with
 * zlib at level 1, as Geneva deflates large files); {@code cc-deflate6} (the same at zlib's default
 * level); {@code cc-raw} (the Commons Compress container with Geneva's encoder, entries added with
 * {@link ZipArchiveOutputStream#addRawArchiveEntry}); {@code cc-scatter} ({@link
 * ParallelScatterZipCreator} per shard, level 1, shards one after another).
 */
public final class ZipBench {
  static final List<String> VARIANTS = List.of("geneva", "cc-deflate", "cc-deflate6", "cc-raw", "cc-scatter");

  /** 1980-02-01 00:00 local time: Commons Compress turns a Java time into DOS time in the local zone. */
  private static final long DOS_EPOCH_MILLIS =
      LocalDateTime.of(1980, 2, 1, 0, 0).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();

  private ZipBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("--child")) {
      child(args[1], Path.of(args[2]), Integer.parseInt(args[3]), args.length > 4 && args[4].equals("--verify"));
      return;
    }
    if (args.length < 1) {
      System.err.println("usage: ZipBench WORKSPACE [RUNS] [VARIANT,...]");
      System.exit(2);
    }
    Path workspace = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> variants = args.length > 2 ? List.of(args[2].split(",")) : VARIANTS;
    parent(workspace, runs, variants);
  }

  // ---------------------------------------------------------------- parent: fresh JVM per run

  private static void parent(Path workspace, int runs, List<String> variants) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    System.out.printf(Locale.ROOT, "ZipBench %s, %d fresh-JVM runs per variant, %d cores, java %s, load %s%n",
        workspace, runs, Runtime.getRuntime().availableProcessors(), Runtime.version(), load());
    Map<String, List<Double>> wall = new LinkedHashMap<>();
    Map<String, List<Double>> inside = new LinkedHashMap<>();
    Map<String, List<Double>> packOnly = new LinkedHashMap<>();
    Map<String, List<Double>> ratio = new LinkedHashMap<>();
    Map<String, Set<String>> digests = new LinkedHashMap<>();
    Map<String, String> sizes = new LinkedHashMap<>();
    for (String v : variants) {
      wall.put(v, new ArrayList<>());
      inside.put(v, new ArrayList<>());
      packOnly.put(v, new ArrayList<>());
      ratio.put(v, new ArrayList<>());
      digests.put(v, new HashSet<>());
    }
    List<String> loads = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      loads.add(load());
      List<String> order = new ArrayList<>(variants);
      if (run % 2 == 1) {
        Collections.reverse(order);
      }
      Map<String, Double> thisRun = new LinkedHashMap<>();
      for (String v : order) {
        long start = System.nanoTime();
        String line = runChild(java, cp, v, workspace, 1, false).get(0);
        double ms = (System.nanoTime() - start) / 1e6;
        Map<String, String> r = parse(line);
        thisRun.put(v, ms);
        wall.get(v).add(ms);
        inside.get(v).add(Double.parseDouble(r.get("ms")));
        packOnly.get(v).add(Double.parseDouble(r.get("pack")));
        digests.get(v).add(r.get("digest"));
        sizes.put(v, r.get("archive") + " of " + r.get("source") + " source bytes, " + r.get("shards") + " shards");
        System.out.printf(Locale.ROOT, "run %d %-12s wall %7.0f ms  in-JVM %7s ms  %s%n", run + 1, v, ms, r.get("ms"), line);
      }
      Double base = thisRun.get("geneva");
      for (String v : variants) {
        ratio.get(v).add(base == null ? Double.NaN : thisRun.get(v) / base);
      }
    }
    System.out.printf(Locale.ROOT, "load averages at the start of each run: %s; now %s%n", loads, load());
    System.out.println();
    System.out.printf(Locale.ROOT, "%-12s %10s %10s %10s %12s %10s %10s %13s  %s%n",
        "variant", "wall ms", "in-JVM ms", "pack ms", "wall/geneva", "warm ms", "ratio", "deterministic", "archives");
    for (String v : variants) {
      Map<String, String> warm = new LinkedHashMap<>();
      List<String> warmLines = runChild(java, cp, v, workspace, 5, true);
      List<Double> warmMs = new ArrayList<>();
      for (String l : warmLines) {
        Map<String, String> r = parse(l);
        if (r.containsKey("ms")) {
          warmMs.add(Double.parseDouble(r.get("pack")));
          digests.get(v).add(r.get("digest"));
          warm = r;
        }
      }
      // The first in-JVM iteration is the cold one; the median of the rest is the warm figure.
      double warmMedian = median(warmMs.subList(1, warmMs.size()));
      double compression = Double.parseDouble(warm.get("archive")) / Double.parseDouble(warm.get("source"));
      System.out.printf(Locale.ROOT, "%-12s %10.0f %10.0f %10.0f %12.2f %10.0f %10.3f %13s  %s; %s%n",
          v, median(wall.get(v)), median(inside.get(v)), median(packOnly.get(v)), median(ratio.get(v)), warmMedian, compression,
          digests.get(v).size() == 1 ? "yes" : "NO (" + digests.get(v).size() + " digests)", sizes.get(v),
          warm.get("verified"));
    }
  }

  private static List<String> runChild(String java, String cp, String variant, Path workspace, int times, boolean verify)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java, "-cp", cp, ZipBench.class.getName(), "--child", variant,
        workspace.toString(), Integer.toString(times)));
    if (verify) {
      command.add("--verify");
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines;
    try (InputStream in = p.getInputStream()) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    if (p.waitFor() != 0 || lines.isEmpty()) {
      throw new IllegalStateException(variant + " failed with exit code " + p.exitValue() + ": " + lines);
    }
    return lines;
  }

  private static Map<String, String> parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return m;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------- child: one variant, N times

  private static void child(String variant, Path workspace, int times, boolean verify) throws Exception {
    long start = System.nanoTime();
    List<Fingerprint> files = scan(workspace);
    List<Shard> shards = ShardPlanner.plan(files, path -> false);
    long source = files.stream().mapToLong(f -> f.file().size()).sum();
    for (int i = 0; i < times; i++) {
      Path out = Files.createTempDirectory("zipbench-");
      try {
        List<Path> archives = new ArrayList<>();
        long packStart = System.nanoTime();
        String digest = pack(variant, shards, out, archives);
        double packMs = (System.nanoTime() - packStart) / 1e6;
        long archive = 0;
        for (Path a : archives) {
          archive += Files.size(a);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        String verified = verify ? "verified=" + verify(archives, shards) : "";
        System.out.printf(Locale.ROOT, "variant=%s ms=%.0f pack=%.0f files=%d shards=%d source=%d archive=%d digest=%s %s%n",
            variant, ms, packMs, files.size(), shards.size(), source, archive, digest.substring(0, 16), verified);
      } finally {
        try (Stream<Path> s = Files.walk(out)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      start = System.nanoTime();
    }
  }

  /** The directory's files in path order, as the scanner lists them, with their digests. */
  static List<Fingerprint> scan(Path root) throws IOException {
    List<Fingerprint> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        FileRecord r = Fingerprinter.restat(new FileRecord(rel, p, 0, 0, 0, 0));
        // Shard keys need digests: hashed here, as the fingerprint stage does before packing.
        files.add(new Fingerprint(r, Sha256.hex(Sha256.newDigest().digest(Files.readAllBytes(p))), Change.UNCHANGED));
      }
    }
    files.sort(Comparator.comparing(f -> f.file().relativePath()));
    return files;
  }

  /** Packs every shard; returns a digest over the archives' digests, in shard order. */
  private static String pack(String variant, List<Shard> shards, Path out, List<Path> archives) throws Exception {
    MessageDigest all = Sha256.newDigest();
    if (variant.equals("cc-scatter")) {
      for (Shard s : shards) {
        Path target = out.resolve("shard-" + s.key() + ".jar");
        all.update(scatter(s, target).getBytes(StandardCharsets.UTF_8));
        archives.add(target);
      }
      return Sha256.hex(all.digest());
    }
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      ThreadLocal<ArchiveWriter> geneva = ThreadLocal.withInitial(() -> new ArchiveWriter(FileOpener.DEFAULT, n -> {}));
      ThreadLocal<CommonsWriter> commons =
          ThreadLocal.withInitial(() -> new CommonsWriter(variant.equals("cc-raw"), variant.equals("cc-deflate6") ? 6 : 1));
      List<Future<String>> futures = new ArrayList<>();
      for (Shard s : shards) {
        Path target = out.resolve("shard-" + s.key() + ".jar");
        archives.add(target);
        futures.add(pool.submit(() -> switch (variant) {
          case "geneva" -> geneva.get().write(s.files(), target).sha256();
          case "cc-deflate", "cc-deflate6", "cc-raw" -> commons.get().write(s.files(), target);
          default -> throw new IllegalArgumentException("unknown variant " + variant + "; one of " + VARIANTS);
        }));
      }
      for (Future<String> f : futures) {
        all.update(f.get().getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      pool.shutdown();
    }
    return Sha256.hex(all.digest());
  }

  /**
   * What {@link ArchiveWriter#write} does for files under 1 MiB (all of the corpus), with Commons
   * Compress writing the zip: read whole, hashed, CRC'd, then deflated by zlib through {@link
   * ZipArchiveOutputStream} (a data descriptor after each deflated entry, as the archive is a stream
   * being digested), or by Geneva's encoder and added raw with its sizes known.
   */
  static final class CommonsWriter {
    private final boolean raw;
    private final int level;
    private final FixedHuffmanDeflater deflater = new FixedHuffmanDeflater();
    private byte[] content = new byte[64 * 1024];

    CommonsWriter(boolean raw, int level) {
      this.raw = raw;
      this.level = level;
    }

    String write(List<Fingerprint> files, Path target) throws IOException {
      MessageDigest digest = Sha256.newDigest();
      try (OutputStream file = Files.newOutputStream(target);
          ZipArchiveOutputStream zip = new ZipArchiveOutputStream(
              new BufferedOutputStream(new DigestOutputStream(file, digest), 1 << 16))) {
        zip.setUseZip64(Zip64Mode.Never);
        zip.setLevel(level);
        Set<String> dirs = new HashSet<>();
        for (Fingerprint f : files) {
          String name = f.file().relativePath();
          for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            String dir = name.substring(0, slash + 1);
            if (dirs.add(dir)) {
              ZipArchiveEntry e = entry(dir, ZipArchiveEntry.STORED);
              e.setSize(0);
              e.setCompressedSize(0);
              e.setCrc(0);
              zip.putArchiveEntry(e);
              zip.closeArchiveEntry();
            }
          }
          int length = read(f);
          CRC32 crc = new CRC32();
          crc.update(content, 0, length);
          boolean store = ArchiveWriter.stored(name);
          if (raw && !store) {
            int compressed = deflater.deflate(content, length);
            if (compressed < length) {
              ZipArchiveEntry e = entry(name, ZipArchiveEntry.DEFLATED);
              e.setSize(length);
              e.setCompressedSize(compressed);
              e.setCrc(crc.getValue());
              zip.addRawArchiveEntry(e, new ByteArrayInputStream(deflater.output(), 0, compressed));
              continue;
            }
            store = true;
          }
          ZipArchiveEntry e = entry(name, store ? ZipArchiveEntry.STORED : ZipArchiveEntry.DEFLATED);
          if (store) {
            e.setSize(length);
            e.setCompressedSize(length);
            e.setCrc(crc.getValue());
          }
          zip.putArchiveEntry(e);
          zip.write(content, 0, length);
          zip.closeArchiveEntry();
        }
        zip.finish();
      }
      return Sha256.hex(digest.digest());
    }

    private int read(Fingerprint f) throws IOException {
      int expected = (int) f.file().size();
      if (content.length < expected + 1) {
        content = new byte[expected + 1];
      }
      int length;
      try (InputStream in = FileOpener.DEFAULT.open(f.file().file())) {
        length = in.readNBytes(content, 0, expected + 1);
      }
      MessageDigest md = Sha256.newDigest();
      md.update(content, 0, length);
      if (length != expected || !Sha256.hex(md.digest()).equals(f.sha256())) {
        throw new IOException(f.file().file() + " changed while it was packed");
      }
      return length;
    }
  }

  private static ZipArchiveEntry entry(String name, int method) {
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setMethod(method);
    e.setTime(DOS_EPOCH_MILLIS);
    return e;
  }

  /** One shard through {@link ParallelScatterZipCreator}: its own pool of a thread per core, zlib level 1. */
  private static String scatter(Shard shard, Path target) throws Exception {
    ExecutorService es = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    ParallelScatterZipCreator creator = new ParallelScatterZipCreator(es, new org.apache.commons.compress.parallel
        .ScatterGatherBackingStoreSupplier() {
          final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

          @Override
          public org.apache.commons.compress.parallel.ScatterGatherBackingStore get() throws IOException {
            return new org.apache.commons.compress.parallel.FileBasedScatterGatherBackingStore(
                target.resolveSibling(target.getFileName() + ".scatter" + n.incrementAndGet()));
          }
        }, Deflater.BEST_SPEED);
    Set<String> dirs = new HashSet<>();
    for (Fingerprint f : shard.files()) {
      String name = f.file().relativePath();
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        String dir = name.substring(0, slash + 1);
        if (dirs.add(dir)) {
          creator.addArchiveEntry(entry(dir, ZipArchiveEntry.STORED), () -> new ByteArrayInputStream(new byte[0]));
        }
      }
      int method = ArchiveWriter.stored(name) ? ZipArchiveEntry.STORED : ZipArchiveEntry.DEFLATED;
      creator.addArchiveEntry(entry(name, method), () -> {
        try {
          byte[] bytes = Files.readAllBytes(f.file().file());
          MessageDigest md = Sha256.newDigest();
          md.update(bytes);
          md.digest();
          return new ByteArrayInputStream(bytes);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    MessageDigest digest = Sha256.newDigest();
    try (OutputStream file = Files.newOutputStream(target);
        ZipArchiveOutputStream zip =
            new ZipArchiveOutputStream(new BufferedOutputStream(new DigestOutputStream(file, digest), 1 << 16))) {
      zip.setUseZip64(Zip64Mode.Never);
      creator.writeTo(zip);
      zip.finish();
    }
    return Sha256.hex(digest.digest());
  }

  /**
   * Reads every archive back with Commons Compress: every file is there with its bytes (CRC checked
   * ), no entry has an extra field. Returns a summary, or throws.
   */
  private static String verify(List<Path> archives, List<Shard> shards) throws IOException {
    int entries = 0;
    int descriptors = 0;
    byte[] buffer = new byte[8192];
    for (int i = 0; i < archives.size(); i++) {
      Set<String> expected = new HashSet<>();
      for (Fingerprint f : shards.get(i).files()) {
        expected.add(f.file().relativePath());
      }
      try (ZipFile zip = ZipFile.builder().setPath(archives.get(i)).get()) {
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
          entries++;
          if (e.getExtraFields(true).length != 0 || e.getCentralDirectoryExtra().length != 0) {
            throw new IOException(archives.get(i) + " entry " + e.getName() + " has extra fields "
                + Arrays.toString(e.getExtraFields(true)));
          }
          descriptors += e.getGeneralPurposeBit().usesDataDescriptor() ? 1 : 0;
          if (!e.isDirectory()) {
            expected.remove(e.getName());
            CRC32 crc = new CRC32();
            try (InputStream in = zip.getInputStream(e)) {
              for (int n; (n = in.read(buffer)) != -1; ) {
                crc.update(buffer, 0, n);
              }
            }
            if (crc.getValue() != e.getCrc()) {
              throw new IOException(archives.get(i) + " entry " + e.getName() + " fails its CRC");
            }
          }
        }
      }
      if (!expected.isEmpty()) {
        throw new IOException(archives.get(i) + " lacks " + expected);
      }
    }
    return entries + "-entries," + descriptors + "-data-descriptors,no-extra-fields";
  }
}
