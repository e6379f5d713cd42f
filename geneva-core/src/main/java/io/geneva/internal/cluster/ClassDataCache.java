package io.geneva.internal.cluster;

import io.geneva.EntryKind;
import io.geneva.GenevaException;
import io.geneva.Manifest;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.PrivateFiles;
import io.geneva.internal.util.JdkRelease;
import io.geneva.internal.worker.NodeCache;
import io.geneva.internal.worker.TrainingClaim;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A class-data cache per manifest and JDK (JDK 24+: the AOT cache of JEP 483/514/515; JDK 13-23: a
 * dynamic class-data archive): where it is stored, whether a worker JVM can use it, and how one is
 * trained.
 *
 * <p>In storage, beside the manifest: {@code classdata/<manifest digest>/<sha256>.aot|.jsa} (the
 * archive, content-addressed) and {@code classdata/<manifest digest>/<key>.properties} (what the
 * archive was made for: JDK version and vendor, OS, architecture, and its digest and size), where
 * {@code key} hashes the manifest digest and those JDK fields. The archive is fetched through the node
 * cache like a package, so it is verified by digest and downloaded once per node; it is used only
 * from a node cache no other user can write to.
 *
 * <p>Training: the first worker that runs a manifest without an archive is started with the JDK's
 * recording options, writing into {@code <node cache>/classdata-training/<key>/} when it exits; a
 * detached {@link ClassDataAssembler} then builds the archive from that (JDK 25 needs a second JVM
 * for it, which takes seconds, so no session waits for it) and stores it.
 */
final class ClassDataCache {
  static final String PREFIX = "classdata/";
  static final String TRAINING = "classdata-training";
  static final String KEY_FILE = "key.properties";
  static final String CLAIM = "training.claim";

  private ClassDataCache() {}

  /** The JDK a worker runs, from its {@code release} file: what an archive must have been made by. */
  record Jdk(String version, String vendor, String os, String arch) {
    /**
     * The JDK of a {@code java} executable ({@code <home>/bin/java}, symbolic links followed, as
     * {@code /usr/bin/java} usually is one), or empty if it has no release file.
     */
    static Optional<Jdk> of(Path java) {
      JdkRelease release;
      try {
        release = JdkRelease.read(JdkRelease.releaseFileOf(java));
      } catch (IOException e) {
        return Optional.empty();
      }
      if (release.version().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Jdk(release.version(), release.implementor(), release.osName(), release.osArch()));
    }

    int feature() {
      return JdkRelease.feature(version);
    }

    /** JDK 24 and later: an AOT cache; 13 to 23: a dynamic archive; older: none. */
    Optional<String> format() {
      return feature() >= 24 ? Optional.of("aot") : feature() >= 13 ? Optional.of("jsa") : Optional.empty();
    }

    String describe() {
      return "JDK " + version + " " + vendor + ", " + os + " " + arch;
    }

    /**
     * The key of an archive for a manifest on this JDK with this Geneva runtime (its class path
     * entries with their sizes and modification times, which the JDK checks too).
     */
    String key(String manifestDigest, String runtime) {
      return Sha256.of("geneva class data 1\n" + manifestDigest + "\n" + version + "\n" + vendor + "\n" + os + "\n"
          + arch + "\n" + runtime).substring(0, 32);
    }

    Properties toProperties() {
      Properties p = new Properties();
      p.setProperty("jdk.version", version);
      p.setProperty("jdk.vendor", vendor);
      p.setProperty("os.name", os);
      p.setProperty("os.arch", arch);
      return p;
    }

    static Jdk fromProperties(Properties p) {
      return new Jdk(p.getProperty("jdk.version", "?"), p.getProperty("jdk.vendor", "?"),
          p.getProperty("os.name", "?"), p.getProperty("os.arch", "?"));
    }
  }

  /**
   * What a launch of warm workers does about class data.
   *
   * @param jvmOptions options for every worker JVM (using an archive)
   * @param trainerOptions options for the first worker only (training one)
   * @param line what the worker reports say
   */
  record Plan(List<String> jvmOptions, List<String> trainerOptions, String line) {
    static Plan none(String line) {
      return new Plan(List.of(), List.of(), line);
    }
  }

  static ObjectKey pointerKey(String manifestDigest, String key) {
    return ObjectKey.of(PREFIX + manifestDigest + "/" + key + ".properties");
  }

  /** What identifies Geneva's runtime jars to the JDK: their paths, sizes and modification times. */
  static String runtimeFingerprint(List<String> runtimeClassPath) {
    StringBuilder b = new StringBuilder();
    for (String entry : runtimeClassPath) {
      Path p = Path.of(entry);
      try {
        b.append(entry).append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
      } catch (IOException e) {
        b.append(entry).append(" missing");
      }
      b.append('\n');
    }
    return b.toString();
  }

  static Path trainingDirectory(Path nodeCache, String key) {
    return nodeCache.resolve(TRAINING).resolve(key);
  }

  /**
   * Decides whether workers use an archive, train one, or neither, fetching a stored archive into the
   * node cache (verified by digest). Never throws for a missing, mismatching or corrupt archive: the
   * plan says why it is skipped.
   */
  static Plan plan(ManifestUri manifest, Optional<Jdk> maybeJdk, NodeCache cache, Storage storage,
      List<String> classPath, String runtime, TrainingClaim claims) {
    if (maybeJdk.isEmpty() || maybeJdk.get().format().isEmpty()) {
      return Plan.none("skipped class data: the workers' JDK has no release file or is older than JDK 13");
    }
    Jdk jdk = maybeJdk.get();
    String format = jdk.format().get();
    String key = jdk.key(manifest.digest(), runtime);
    Optional<Properties> pointer = readPointer(storage, pointerKey(manifest.digest(), key));
    String problem;
    if (pointer.isPresent()) {
      Properties p = pointer.get();
      if (!Jdk.fromProperties(p).equals(jdk) || !format.equals(p.getProperty("format"))) {
        problem = "skipped class data: recorded for " + Jdk.fromProperties(p).describe() + ", workers run " + jdk.describe();
      } else {
        Optional<String> use = use(p, manifest, cache, storage, key, format);
        if (use.isPresent() && use.get().startsWith("-XX:")) {
          return new Plan(List.of(use.get()), List.of(), "using class data " + p.getProperty("sha256").substring(0, 12)
              + " (" + ("aot".equals(format) ? "AOT cache" : "dynamic CDS archive") + ", " + jdk.describe() + ")");
        }
        problem = use.orElse("skipped class data: unusable");
      }
    } else {
      problem = otherJdks(storage, manifest.digest(), jdk).map(o -> "skipped class data: stored only for " + o
          + ", workers run " + jdk.describe()).orElse("no class data yet for this manifest on " + jdk.describe());
    }
    return train(problem, cache.directory(), key, manifest, jdk, format, classPath, claims);
  }

  /** The option that uses the stored archive, or why it cannot be used. */
  private static Optional<String> use(Properties p, ManifestUri manifest, NodeCache cache, Storage storage, String key,
      String format) {
    String sha = p.getProperty("sha256", "");
    long size;
    try {
      size = Long.parseLong(p.getProperty("size", "-1"));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (!sha.matches("[0-9a-f]{64}") || size < 0) {
      return Optional.of("skipped class data: its record " + pointerKey(manifest.digest(), key)
          + " names no valid digest and size");
    }
    Path directory = cache.directory();
    Optional<String> unsafe = writableByOthers(directory);
    if (unsafe.isPresent()) {
      return Optional.of("skipped class data: " + unsafe.get() + "; a class-data cache is never used from a"
          + " directory another user can write to");
    }
    Path file;
    try {
      Manifest.Package archive = new Manifest.Package(PREFIX + manifest.digest() + "/" + sha + "." + format, sha, size,
          EntryKind.DEPENDENCY);
      file = cache.ensure(archive, storage).file();
    } catch (GenevaException e) {
      return Optional.of("skipped class data " + sha.substring(0, 12) + ": " + e.getMessage() + "; it is ignored");
    }
    Optional<String> unsafeFile = writableByOthers(file.getParent()).or(() -> writableByOthers(file));
    if (unsafeFile.isPresent()) {
      return Optional.of("skipped class data: " + unsafeFile.get() + "; a class-data cache is never used from a"
          + " directory another user can write to");
    }
    return Optional.of(("aot".equals(format) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + file);
  }

  /** Trains an archive with the first worker, unless another worker already trains one for this key. */
  private static Plan train(String problem, Path nodeCache, String key, ManifestUri manifest, Jdk jdk, String format,
      List<String> classPath, TrainingClaim claims) {
    Path dir = trainingDirectory(nodeCache, key);
    try {
      PrivateFiles.createDirectories(dir);
      Optional<String> unsafe = writableByOthers(dir.getParent()).or(() -> writableByOthers(dir));
      if (unsafe.isPresent()) {
        return Plan.none(problem + "; not training: " + unsafe.get());
      }
      Path output = dir.resolve("train." + ("aot".equals(format) ? "aotconf" : "jsa"));
      if (Files.exists(output)) {
        return Plan.none(problem + "; an earlier worker's training is being assembled, later workers will use it");
      }
      // A claim whose trainer died (or never started) is stale and taken over, so a crash does not stop training.
      Optional<String> holder = claims.claim(dir.resolve(CLAIM));
      if (holder.isPresent()) {
        return Plan.none(problem + "; another worker is training it (" + holder.get() + ")");
      }
      Properties p = jdk.toProperties();
      p.setProperty("manifest", manifest.uri().toString());
      p.setProperty("format", format);
      p.setProperty("classpath", String.join(java.io.File.pathSeparator, classPath));
      p.setProperty("key", key);
      io.geneva.internal.worker.StateFile.write(dir.resolve(KEY_FILE), p, "geneva class-data training");
      String owner = "-D" + TrainingClaim.OWNER_PROPERTY + "=" + dir.resolve(CLAIM);
      List<String> options = "aot".equals(format)
          ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + output, owner)
          : List.of("-XX:ArchiveClassesAtExit=" + output, owner);
      return new Plan(List.of(), options, problem + "; the first worker trains it");
    } catch (IOException | GenevaException e) {
      return Plan.none(problem + "; not training: " + e);
    }
  }

  /** Whether a path is writable by a group or other users, or owned by another user. */
  static Optional<String> writableByOthers(Path path) {
    if (!PrivateFiles.posix(path)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
        return Optional.of(path + " is writable by other users");
      }
      String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
      if (!owner.equals(System.getProperty("user.name"))) {
        return Optional.of(path + " is owned by " + owner + ", not by " + System.getProperty("user.name"));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot check who can write to " + path + ": " + e);
    }
  }

  private static Optional<Properties> readPointer(Storage storage, ObjectKey key) {
    if (storage.stat(key).isEmpty()) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = storage.open(key)) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return Optional.of(p);
    } catch (IOException | GenevaException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The JDKs other than this one that class data of the manifest is stored for, described. */
  private static Optional<String> otherJdks(Storage storage, String manifestDigest, Jdk jdk) {
    List<String> others = new ArrayList<>();
    try {
      for (StoredObject o : storage.list(PREFIX + manifestDigest + "/")) {
        if (o.key().path().endsWith(".properties")) {
          readPointer(storage, o.key()).map(Jdk::fromProperties).filter(j -> !j.equals(jdk))
              .ifPresent(j -> others.add(j.describe()));
        }
      }
    } catch (GenevaException e) {
      return Optional.empty();
    }
    return others.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", others));
  }
}
